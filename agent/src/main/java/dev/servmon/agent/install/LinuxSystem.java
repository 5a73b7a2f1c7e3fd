package dev.servmon.agent.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link SystemOps} on the live Linux system: useradd, chown, systemctl. */
public final class LinuxSystem implements SystemOps {
    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    @Override
    public void requireRoot() throws InstallException {
        int uid;
        try {
            uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new InstallException("cannot tell whether this runs as root (" + e + "); run --install as root", e);
        }
        if (uid != 0) {
            throw new InstallException("installing or removing the system service needs root (this runs as uid " + uid
                    + "): run it again with sudo");
        }
    }

    @Override
    public boolean systemdRunning() {
        // What sd_booted() checks: the directory exists only while systemd is PID 1.
        return Files.isDirectory(Path.of("/run/systemd/system")) && onPath("systemctl");
    }

    @Override
    public void systemctl(String... args) throws InstallException {
        List<String> cmd = new ArrayList<>();
        cmd.add("systemctl");
        cmd.addAll(List.of(args));
        run(cmd);
    }

    @Override
    public boolean ensureSystemUser(String name, Path home) throws InstallException {
        if (exec(List.of("id", "-u", name)).exitCode() == 0) {
            return false;
        }
        if (!onPath("useradd")) {
            throw new InstallException("useradd not found: create the system user '" + name + "' yourself (Alpine: "
                    + "addgroup -S " + name + " && adduser -S -G " + name + " -h " + home + " " + name + ") and run --install again");
        }
        run(useradd(name, home, nologinShell()));
        return true;
    }

    /** The useradd command line for the service user: a system account with its own group and no login. */
    static List<String> useradd(String name, Path home, String shell) {
        return List.of("useradd", "--system", "--user-group", "--no-create-home", "--home-dir", home.toString(),
                "--shell", shell, "--comment", "servmon agent", name);
    }

    private static String nologinShell() {
        for (String shell : List.of("/usr/sbin/nologin", "/sbin/nologin")) {
            if (Files.isExecutable(Path.of(shell))) {
                return shell;
            }
        }
        return "/bin/false";
    }

    @Override
    public void chown(Path path, String user) throws InstallException {
        try {
            UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(path, lookup.lookupPrincipalByName(user));
            GroupPrincipal group;
            try {
                group = lookup.lookupPrincipalByGroupName(user);
            } catch (UserPrincipalNotFoundException e) {
                return; // a user created elsewhere without a group of its own name keeps the file's group
            }
            Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(group);
        } catch (IOException e) {
            throw new InstallException("cannot make " + user + " the owner of " + path + ": " + e, e);
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static void run(List<String> cmd) throws InstallException {
        Result r = exec(cmd);
        if (r.exitCode() != 0) {
            throw new InstallException(String.join(" ", cmd) + " failed (exit " + r.exitCode() + ")"
                    + (r.output().isBlank() ? "" : ": " + r.output().strip()));
        }
    }

    private record Result(int exitCode, String output) {}

    private static Result exec(List<String> cmd) throws InstallException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output;
            try (InputStream in = p.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new InstallException(String.join(" ", cmd) + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new InstallException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InstallException("interrupted while running " + String.join(" ", cmd), e);
        }
    }
}

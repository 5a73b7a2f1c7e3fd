package dev.servmon.agent.install;

import dev.servmon.agent.AgentConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Installs the agent as the systemd service {@value InstallLayout#UNIT_NAME} and removes it
 * again. Every path comes from the {@link InstallLayout}, every system change beyond files
 * goes through {@link SystemOps}, so an install can be staged into any directory.
 *
 * <p>Installing again is an upgrade: the jar, config and unit are replaced atomically, the
 * key file is kept unless a new key is given, and the service is restarted.
 */
public final class Installer {
    private static final String DIR_MODE = "rwxr-xr-x";
    private static final String PUBLIC_FILE_MODE = "rw-r--r--";

    private final InstallLayout layout;
    private final SystemOps system;
    private final PrintStream out;

    /**
     * What to install.
     *
     * @param hub the hub's ingest URL
     * @param key the host key, or null to keep the one already in the key file
     * @param intervalSeconds seconds between samples
     * @param sourceJar the agent jar to copy (the one running, usually)
     * @param java the java binary the service runs
     */
    public record Request(URI hub, String key, int intervalSeconds, Map<String, String> tuning, Path sourceJar, Path java) {
        public Request {
            tuning = Map.copyOf(tuning);
        }
    }

    public Installer(InstallLayout layout, SystemOps system, PrintStream out) {
        this.layout = layout;
        this.system = system;
        this.out = out;
    }

    /**
     * Installs (or upgrades) and starts the service.
     *
     * @throws IllegalArgumentException when an option is invalid (message names it)
     * @throws InstallException when a step fails (message says which)
     */
    public void install(Request request) throws InstallException {
        system.requireRoot();
        // Validate every option before anything on the system changes.
        new AgentConfig(request.hub(), request.key(), layout.keyFile(), layout.stateDir(), request.intervalSeconds());
        if (!Files.isRegularFile(request.sourceJar())) {
            throw new InstallException("the agent jar to install, " + request.sourceJar() + ", is not a file");
        }
        String user = InstallLayout.SERVICE_USER;
        boolean userCreated = system.ensureSystemUser(user, layout.stateDir());

        Path stateDir = layout.onDisk(layout.stateDir());
        Path jar = layout.onDisk(layout.jar());
        Path config = layout.onDisk(layout.configFile());
        Path unit = layout.onDisk(layout.unitFile());
        AgentConfig cfg;
        try {
            mkdirs(stateDir.getParent());
            if (!Files.isDirectory(stateDir)) {
                Files.createDirectory(stateDir);
            }
            Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx------"));
            cfg = AgentConfig.of(request.hub(), request.key(), layout.onDisk(layout.keyFile()), stateDir, request.intervalSeconds());

            mkdirs(jar.getParent());
            if (!Files.exists(jar) || !Files.isSameFile(request.sourceJar(), jar)) {
                replace(jar, tmp -> Files.copy(request.sourceJar(), tmp, StandardCopyOption.REPLACE_EXISTING));
            }
            writeText(config, new InstalledConfig(cfg.hubUrl(), request.intervalSeconds(), layout.stateDir(), request.tuning()).render());
            writeText(unit, SystemdUnit.render(spec(request.java())));
        } catch (IOException e) {
            throw new InstallException("cannot write the agent's files: " + e, e);
        }
        chownTree(stateDir, user);

        out.println("servmon agent installed:");
        out.println("  jar      " + jar);
        out.println("  config   " + config);
        out.println("  key      " + cfg.keyFile() + " (" + cfg.keyPrefix() + ", mode 0600)");
        out.println("  unit     " + unit + " (runs as user " + user + (userCreated ? ", created now" : "") + ")");
        if (system.systemdRunning()) {
            system.systemctl("daemon-reload");
            system.systemctl("enable", InstallLayout.UNIT_NAME);
            // restart, not start: installing again over a running agent is how it is upgraded.
            system.systemctl("restart", InstallLayout.UNIT_NAME);
            out.println("  service  enabled and started; follow it with: journalctl -u " + InstallLayout.UNIT_NAME + " -f");
        } else {
            out.println("systemd not found (no /run/systemd/system): files written, nothing started. Start the agent with");
            out.println("  " + String.join(" ", SystemdUnit.commandWithEnvironment(spec(request.java()))));
            out.println("as user " + user + " (e.g. runuser -u " + user + " -- COMMAND) from your init system.");
            if (layout.staged()) {
                out.println("Staged under " + layout.root() + " (paths above as the target system sees them); there, also run: "
                        + "useradd --system --user-group " + user + "; chown -R " + user + " " + layout.stateDir()
                        + "; systemctl enable --now " + InstallLayout.UNIT_NAME);
            }
        }
    }

    /**
     * Stops and removes the service, its jar and its config; the state directory (with the
     * host key) too when {@code purge}.
     */
    public void uninstall(boolean purge) throws InstallException {
        system.requireRoot();
        Path unit = layout.onDisk(layout.unitFile());
        Path config = layout.onDisk(layout.configFile());
        Path jar = layout.onDisk(installedJar(unit));
        Path stateDir = layout.onDisk(installedStateDir(config));
        if (!Files.exists(unit) && !Files.exists(jar) && !Files.exists(config) && !(purge && Files.exists(stateDir))) {
            out.println("servmon agent is not installed here: no " + unit + ", " + jar + " or " + config);
            return;
        }
        boolean systemd = system.systemdRunning();
        if (systemd && Files.exists(unit)) {
            system.systemctl("disable", "--now", InstallLayout.UNIT_NAME);
        }
        List<Path> removed = new ArrayList<>();
        try {
            deleteIfExists(unit, removed);
            if (systemd) {
                system.systemctl("daemon-reload");
            }
            deleteIfExists(jar, removed);
            deleteIfEmpty(jar.getParent(), removed);
            deleteIfExists(config, removed);
            deleteIfEmpty(config.getParent(), removed);
            if (purge && Files.exists(stateDir)) {
                deleteTree(stateDir);
                removed.add(stateDir);
            }
        } catch (IOException e) {
            throw new InstallException("cannot remove the agent's files: " + e, e);
        }
        out.println("servmon agent uninstalled; removed:");
        removed.forEach(p -> out.println("  " + p));
        if (!purge && Files.exists(stateDir)) {
            out.println("kept " + stateDir + " (host key and agent state); --uninstall --purge removes it");
        }
        out.println("the user " + InstallLayout.SERVICE_USER + " is kept (userdel " + InstallLayout.SERVICE_USER + " removes it)");
    }

    private SystemdUnit.Spec spec(Path java) {
        return new SystemdUnit.Spec(InstallLayout.SERVICE_USER, java, JvmFlags.ENVIRONMENT, JvmFlags.SMALL_FOOTPRINT, layout.jar(),
                layout.configFile(), layout.stateDir());
    }

    /** The jar the installed unit runs (it may have been installed with another --prefix). */
    private Path installedJar(Path unit) throws InstallException {
        Path jar = Files.isRegularFile(unit) ? SystemdUnit.jarOf(read(unit)) : null;
        return jar != null ? jar : layout.jar();
    }

    private Path installedStateDir(Path config) throws InstallException {
        Path dir = Files.isRegularFile(config) ? InstalledConfig.stateDirOf(read(config)) : null;
        return dir != null && dir.isAbsolute() ? dir : layout.stateDir();
    }

    private static String read(Path file) throws InstallException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InstallException("cannot read " + file + ": " + e, e);
        }
    }

    private void chownTree(Path dir, String user) throws InstallException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.toList();
        } catch (IOException e) {
            throw new InstallException("cannot list " + dir + ": " + e, e);
        }
        for (Path p : paths) {
            system.chown(p, user);
        }
    }

    /** Creates missing directories one by one, each 0755 whatever the umask. */
    private static void mkdirs(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        mkdirs(dir.getParent());
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(DIR_MODE));
    }

    private static void writeText(Path file, String text) throws IOException {
        mkdirs(file.getParent());
        replace(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    private interface Writer {
        void write(Path tmp) throws IOException;
    }

    /** Writes a sibling temporary file, makes it 0644, and moves it over {@code file}: never half a file. */
    private static void replace(Path file, Writer writer) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            writer.write(tmp);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(PUBLIC_FILE_MODE));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void deleteIfExists(Path file, List<Path> removed) throws IOException {
        if (Files.deleteIfExists(file)) {
            removed.add(file);
        }
    }

    private static void deleteIfEmpty(Path dir, List<Path> removed) throws IOException {
        try {
            deleteIfExists(dir, removed);
        } catch (DirectoryNotEmptyException e) {
            // Someone else's files live there too; leave the directory.
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            try {
                Files.delete(p);
            } catch (NoSuchFileException e) {
                // gone already: the agent removed it while we walked
            }
        }
    }
}

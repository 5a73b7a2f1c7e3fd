package dev.servmon.agent.programs;

import dev.servmon.agent.collect.Command;
import dev.servmon.protocol.ProgramSpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts programs so that they outlive the agent, and signals them.
 *
 * <p>Each program runs under a tiny {@code sh} wrapper started with {@code setsid}: a session and
 * process group of its own (the agent's death, a terminal hang-up or Ctrl-C do not reach it),
 * output appended straight to its log file (it keeps flowing while the agent is down), input from
 * {@code /dev/null}. The wrapper runs the program in the foreground and writes its exit status
 * to the program's {@code exit} file: after the agent restarts, it is no longer the wrapper's
 * parent and could not learn the status otherwise. The wrapper catches the stop signals (a
 * caught signal is reset to the default in the program it runs), so signalling the whole
 * process group stops the program and whatever it started, while the wrapper stays to record
 * the status. Only KILL ends the wrapper too; the status is then known to be 137.
 *
 * <p>The wrapper's environment carries {@link WrapperMarks} (program, owner, launch fingerprint)
 * so that an agent that lost its records can find it again; the wrapper unsets them before it
 * runs the program.
 */
final class Launcher {
    /** {@code $1} is the exit file; the rest is the program and its arguments. */
    static final String WRAPPER = "f=$1; shift; unset SERVMON_PROGRAM SERVMON_OWNER SERVMON_LAUNCH; trap : TERM INT HUP QUIT USR1 USR2; "
            + "\"$@\"; c=$?; echo $c > \"$f\"; exit $c";
    static final String EXIT_FILE = "exit";
    private final String path;
    private final boolean root;
    private final String owner;

    /**
     * @param path the PATH programs are looked up in (the agent's)
     * @param root whether the agent runs as root (only then may a program run as another user)
     * @param owner the agent's identity ({@link WrapperMarks#owner}), marked on every wrapper
     */
    Launcher(String path, boolean root, String owner) {
        this.path = path;
        this.root = root;
        this.owner = owner;
    }

    /** A started wrapper: its process (the agent's child) and pid, which is also the process group id. */
    record Started(Process process, long pid) {}

    /**
     * Starts {@code spec} with its output appended to {@code log}, running in {@code cwd}.
     *
     * @throws IOException with a message for people when it cannot be started (no such command,
     *     no such directory, no such user, not root for runAs, no setsid)
     */
    Started start(ProgramSpec spec, Path dir, Path log, Path cwd) throws IOException {
        Path setsid = find("setsid");
        Path sh = find("sh");
        if (setsid == null || sh == null) {
            throw new IOException("program supervision needs 'setsid' and 'sh' in PATH (util-linux); none found in " + path);
        }
        String command = resolve(spec.command(), spec.env().getOrDefault("PATH", path));
        if (!Files.isDirectory(cwd)) {
            throw new IOException("working directory " + cwd + " does not exist");
        }
        List<String> argv = new ArrayList<>();
        argv.add(setsid.toString());
        argv.add(sh.toString());
        argv.add("-c");
        argv.add(WRAPPER);
        argv.add(WrapperMarks.ARGV0);
        argv.add(dir.resolve(EXIT_FILE).toString());
        if (spec.runAs() != null) {
            argv.addAll(switchUser(spec.runAs()));
        }
        argv.add(command);
        argv.addAll(spec.args());
        Files.deleteIfExists(dir.resolve(EXIT_FILE));
        ProcessBuilder pb = new ProcessBuilder(argv)
                .directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        // The agent's own settings (its host key among them) are not the program's business.
        env.keySet().removeIf(k -> k.startsWith("SERVMON_"));
        env.putAll(spec.env());
        env.put(WrapperMarks.PROGRAM, spec.name());
        env.put(WrapperMarks.OWNER, owner);
        env.put(WrapperMarks.LAUNCH, WrapperMarks.fingerprint(spec));
        Process p = pb.start();
        return new Started(p, p.pid());
    }

    /**
     * Sends {@code signal} (TERM, KILL, …) to the process group {@code pgid}: the wrapper, the
     * program and its children.
     *
     * @throws IOException when {@code kill} cannot be run or reports an error other than "no such process"
     */
    void signalGroup(long pgid, String signal) throws IOException {
        if (pgid <= 1) {
            throw new IOException("refusing to signal process group " + pgid);
        }
        Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + pgid)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).start();
        try {
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IOException("kill -s " + signal + " -- -" + pgid + " did not finish within 5 s");
            }
            String out;
            try (InputStream in = kill.getInputStream()) {
                out = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
            }
            if (kill.exitValue() != 0 && !out.contains("No such process")) {
                throw new IOException("kill -s " + signal + " -- -" + pgid + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling process group " + pgid, e);
        }
    }

    /** The command as the wrapper should run it: checked to exist, looked up in PATH when it has no '/'. */
    String resolve(String command, String searchPath) throws IOException {
        if (command.indexOf('/') >= 0) {
            Path p = Path.of(command);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new IOException("command " + command + " does not exist or is not executable");
            }
            return command;
        }
        Path found = Command.find(command, searchPath);
        if (found == null) {
            throw new IOException("command '" + command + "' not found in PATH (" + searchPath + "); give its full path");
        }
        return found.toString();
    }

    private List<String> switchUser(String user) throws IOException {
        if (!root) {
            throw new IOException("runAs " + user + " needs the agent to run as root; it does not: remove runAs or run the agent as root");
        }
        String gid = idOf(user, "-g");
        Path setpriv = find("setpriv");
        if (setpriv != null) {
            // setpriv execs the program itself: no extra process between the wrapper and it.
            return List.of(setpriv.toString(), "--reuid=" + idOf(user, "-u"), "--regid=" + gid, "--init-groups", "--");
        }
        Path runuser = find("runuser");
        if (runuser != null) {
            return List.of(runuser.toString(), "-u", user, "--");
        }
        throw new IOException("runAs " + user + " needs 'setpriv' or 'runuser' (util-linux) in PATH; neither was found");
    }

    private String idOf(String user, String flag) throws IOException {
        try {
            Process p = new ProcessBuilder("id", flag, user).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(1024), StandardCharsets.UTF_8).strip();
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("id " + flag + " " + user + " did not answer within 5 s");
            }
            if (p.exitValue() != 0 || !out.matches("\\d+")) {
                throw new IOException("runAs: there is no user '" + user + "' on this host (" + out + ")");
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while looking up user " + user, e);
        }
    }

    private Path find(String name) {
        return Command.find(name, path);
    }
}

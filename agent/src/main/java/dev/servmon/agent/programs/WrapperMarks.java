package dev.servmon.agent.programs;

import dev.servmon.protocol.ProgramSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a program's wrapper says whose it is, so that an agent that lost its state directory can
 * still recognise the programs it started (see {@link OrphanScan}). The launcher puts three
 * variables into the wrapper's environment; the wrapper removes them before it runs the program,
 * but {@code /proc/<pid>/environ} keeps showing the environment it was started with (readable
 * only by its user and root, unlike the command line):
 *
 * <ul>
 *   <li>{@value #PROGRAM}: the program's name;
 *   <li>{@value #OWNER}: the agent's identity, {@link #owner(String)} of its host key: the key
 *       survives a reinstall (it is given again), the state directory does not;
 *   <li>{@value #LAUNCH}: {@link #fingerprint} of how it was launched, to tell whether a found
 *       wrapper runs the definition the hub now sends.
 * </ul>
 *
 * <p>Pure functions only: the parsers take the bytes of {@code /proc/<pid>/cmdline} and {@code
 * environ} as read.
 */
final class WrapperMarks {
    static final String PROGRAM = "SERVMON_PROGRAM";
    static final String OWNER = "SERVMON_OWNER";
    static final String LAUNCH = "SERVMON_LAUNCH";
    /** The wrapper's {@code $0}: its fourth command-line argument, after {@code sh -c SCRIPT}. */
    static final String ARGV0 = "servmon-program";
    private static final byte[] DASH_C = "-c".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SCRIPT = Launcher.WRAPPER.getBytes(StandardCharsets.UTF_8);
    private static final byte[] ARGV0_BYTES = ARGV0.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROGRAM_EQ = (PROGRAM + "=").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OWNER_EQ = (OWNER + "=").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAUNCH_EQ = (LAUNCH + "=").getBytes(StandardCharsets.US_ASCII);

    private WrapperMarks() {}

    /** The marks found in a wrapper's environment. */
    record Marks(String program, String owner, String launch) {}

    /**
     * The agent's identity as its wrappers carry it: 16 hex digits of a SHA-256 of the host key.
     * Not the key (the environment is readable by the programs' user), and not its prefix (shown
     * in logs, and two agents' keys may share it).
     */
    static String owner(String hostKey) {
        return hash("servmon program owner\n" + hostKey);
    }

    /**
     * 16 hex digits of a SHA-256 of what {@code sameLaunch} compares: command, args, cwd, env
     * (in name order) and runAs. Equal specs give equal fingerprints; any change to these gives
     * another.
     */
    static String fingerprint(ProgramSpec spec) {
        StringBuilder b = new StringBuilder(128);
        field(b, spec.command());
        b.append(spec.args().size()).append('[');
        spec.args().forEach(a -> field(b, a));
        field(b, spec.cwd());
        field(b, spec.runAs());
        Map<String, String> env = new TreeMap<>(spec.env());
        b.append(env.size()).append('{');
        env.forEach((k, v) -> {
            field(b, k);
            field(b, v);
        });
        return hash(b.toString());
    }

    /** Length-prefixed, so that no two different lists of fields encode to the same text. */
    private static void field(StringBuilder b, String s) {
        if (s == null) {
            b.append("-;");
        } else {
            b.append(s.length()).append(':').append(s).append(';');
        }
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must provide", e);
        }
    }

    /**
     * The exit file named by a wrapper's command line ({@code /proc/<pid>/cmdline}: NUL-separated
     * {@code sh -c SCRIPT servmon-program EXITFILE command args…}), or null when these {@code n}
     * bytes are not a wrapper's (or are cut off before the exit file ends). Allocates only for a
     * wrapper's.
     */
    static String exitFileOf(byte[] cmdline, int n) {
        int field = 0;
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (cmdline[i] != 0) {
                continue;
            }
            switch (field) {
                case 1 -> {
                    if (!same(cmdline, start, i, DASH_C)) {
                        return null;
                    }
                }
                case 2 -> {
                    if (!same(cmdline, start, i, SCRIPT)) {
                        return null;
                    }
                }
                case 3 -> {
                    if (!same(cmdline, start, i, ARGV0_BYTES)) {
                        return null;
                    }
                }
                case 4 -> {
                    return i > start ? new String(cmdline, start, i - start, StandardCharsets.UTF_8) : null;
                }
                default -> { }
            }
            field++;
            start = i + 1;
        }
        return null;
    }

    /**
     * The marks in a wrapper's environment ({@code /proc/<pid>/environ}: NUL-separated {@code
     * NAME=value}), or null when one of them is missing (not a wrapper, or one started before
     * wrappers were marked).
     */
    static Marks marksOf(byte[] environ, int n) {
        String program = null;
        String owner = null;
        String launch = null;
        int start = 0;
        for (int i = 0; i <= n; i++) {
            if (i < n && environ[i] != 0) {
                continue;
            }
            if (startsWith(environ, start, i, PROGRAM_EQ)) {
                program = value(environ, start + PROGRAM_EQ.length, i);
            } else if (startsWith(environ, start, i, OWNER_EQ)) {
                owner = value(environ, start + OWNER_EQ.length, i);
            } else if (startsWith(environ, start, i, LAUNCH_EQ)) {
                launch = value(environ, start + LAUNCH_EQ.length, i);
            }
            start = i + 1;
        }
        return program == null || owner == null || launch == null || program.isEmpty() ? null : new Marks(program, owner, launch);
    }

    private static String value(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    private static boolean same(byte[] b, int from, int to, byte[] expected) {
        return to - from == expected.length && startsWith(b, from, to, expected);
    }

    private static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}

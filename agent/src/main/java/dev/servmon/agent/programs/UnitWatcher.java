package dev.servmon.agent.programs;

import dev.servmon.agent.Log;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Systemd units or Windows services that the agent watches by name (status in every sample) and
 * starts, stops or restarts on command. The services are the OS's to supervise; the agent only
 * reads and asks. States are read at most every refresh interval, on the supervisor's thread.
 */
public final class UnitWatcher {
    private static final Log log = Log.get(UnitWatcher.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_@.:\\\\][A-Za-z0-9_@.:\\\\ -]{0,255}");
    /** Most units one agent watches. */
    static final int MAX_UNITS = 100;

    /** How one OS tells and changes a service's state. */
    public interface Backend {
        /** {@code systemd} or {@code windows-service}: the kind reported in samples. */
        String kind();

        /** The state of each named unit, in the order given. */
        List<UnitStatus> status(List<String> names) throws IOException, InterruptedException;

        /**
         * Starts, stops or restarts a unit and returns a line for people.
         *
         * @param action {@code start}, {@code stop} or {@code restart}
         */
        String act(String name, String action) throws IOException, InterruptedException;
    }

    /**
     * A unit's state.
     *
     * @param name the unit's name
     * @param state a {@link ProgramState} name, or {@code UNKNOWN}
     * @param pid its main process, when it runs
     * @param exitCode its main process's last exit status, when known
     * @param message the OS's own words, e.g. {@code active (running)}
     */
    public record UnitStatus(String name, String state, Long pid, Integer exitCode, String message) {}

    private final Backend backend;
    private List<String> names = List.of();
    private final Map<String, UnitStatus> latest = new LinkedHashMap<>();
    private long refreshedAtMs = Long.MIN_VALUE / 2;
    private boolean failing;

    public UnitWatcher(Backend backend) {
        this.backend = backend;
    }

    /** systemd units on Linux, services on Windows. */
    public static UnitWatcher forThisOs() {
        return new UnitWatcher(System.getProperty("os.name", "").startsWith("Windows") ? new WindowsServices() : new SystemdUnits());
    }

    /**
     * Validates unit names: 1 to 256 letters, digits and {@code _ @ . : \ -} or spaces, not
     * starting with {@code -} or a space, at most {@value #MAX_UNITS}.
     *
     * @throws IllegalArgumentException naming the first bad one
     */
    public static List<String> checkNames(List<String> names) {
        if (names.size() > MAX_UNITS) {
            throw new IllegalArgumentException("units: at most " + MAX_UNITS + " units can be watched, got " + names.size());
        }
        for (String n : names) {
            checkName(n);
        }
        return List.copyOf(names);
    }

    static String checkName(String n) {
        if (n == null || !NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("'" + n + "' is not a unit or service name (letters, digits, _ @ . : \\ - and spaces; not starting with - or a space)");
        }
        return n;
    }

    synchronized void watch(List<String> units) {
        names = checkNames(units);
        latest.keySet().retainAll(names);
        refreshedAtMs = Long.MIN_VALUE / 2;
    }

    synchronized List<String> names() {
        return names;
    }

    synchronized boolean any() {
        return !names.isEmpty();
    }

    /** Reads the states again when the last read is {@code everyMs} old. */
    void refreshIfDue(long nowMs, long everyMs) {
        List<String> current;
        synchronized (this) {
            if (names.isEmpty() || nowMs - refreshedAtMs < everyMs) {
                return;
            }
            refreshedAtMs = nowMs;
            current = names;
        }
        try {
            List<UnitStatus> read = backend.status(current);
            synchronized (this) {
                read.forEach(s -> {
                    if (names.contains(s.name())) {
                        latest.put(s.name(), s);
                    }
                });
            }
            failing = false;
        } catch (IOException e) {
            if (!failing) {
                log.warn("servmon agent: cannot read the state of units {}: {}", current, e.getMessage());
            }
            failing = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The watched units as last read, for the sample. */
    synchronized List<Sample.Program> report() {
        List<Sample.Program> out = new ArrayList<>(names.size());
        for (String n : names) {
            UnitStatus s = latest.get(n);
            out.add(s == null
                    ? new Sample.Program(n, backend.kind(), "UNKNOWN", null, null, 0, null, null, null, "not read yet")
                    : new Sample.Program(n, backend.kind(), s.state(), s.pid(), s.exitCode(), 0, null, null, null, s.message()));
        }
        return out;
    }

    /** Reads one unit's state now. */
    public UnitStatus status(String name) throws IOException, InterruptedException {
        List<UnitStatus> read = backend.status(List.of(checkName(name)));
        if (read.isEmpty()) {
            throw new IOException("no state read for " + name);
        }
        return read.get(0);
    }

    /** Starts, stops or restarts a unit; the next refresh shows its new state. */
    public String act(String name, String action) throws IOException, InterruptedException {
        String result = backend.act(checkName(name), action);
        synchronized (this) {
            refreshedAtMs = Long.MIN_VALUE / 2;
        }
        return result;
    }

    public String kind() {
        return backend.kind();
    }
}

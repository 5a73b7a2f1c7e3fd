package dev.servmon.protocol;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A program an agent supervises, as defined on the hub and sent to the agent in the
 * {@code programs.apply} command (the whole desired set). Absent members take the defaults below,
 * so the hub and the agent agree on them; {@link #validate} is the one set of rules both apply.
 *
 * @param name unique per host; letters, digits, {@code . _ -}, 1 to 64 characters (it names
 *     the program's directory on the agent)
 * @param command the executable (absolute path, or a name looked up in the agent's PATH)
 * @param args its arguments; no shell is involved
 * @param cwd working directory (absolute), or null for the agent's state directory of the program
 * @param env variables added to the agent's environment (the agent's own {@code SERVMON_*} are removed)
 * @param runAs user to run as (the agent must run as root), or null for the agent's user
 * @param autostart start when defined and when the agent (or machine) starts
 * @param restart {@code never}, {@code on-failure} (non-zero exit or signal) or {@code always}
 * @param backoffFirstSeconds delay before the first restart; doubled for each failed run in a row
 * @param backoffMaxSeconds ceiling of the delay
 * @param maxRestarts restarts allowed within {@code restartWindowSeconds}; one more gives up (FAILED)
 * @param restartWindowSeconds the sliding window restarts are counted in
 * @param stopSignal signal that asks the program to stop: TERM, INT, HUP, QUIT, USR1, USR2 or KILL
 * @param stopTimeoutSeconds wait after the stop signal before KILL
 * @param startSeconds time up after which a start counts as successful (STARTING → RUNNING,
 *     and the backoff starts over)
 * @param healthCheck optional check that restarts the program when it fails repeatedly
 */
public record ProgramSpec(String name, String command, List<String> args, String cwd, Map<String, String> env,
        String runAs, Boolean autostart, String restart, Double backoffFirstSeconds, Double backoffMaxSeconds,
        Integer maxRestarts, Double restartWindowSeconds, String stopSignal, Double stopTimeoutSeconds,
        Double startSeconds, HealthCheck healthCheck) {
    public static final String DEFAULT_RESTART = "on-failure";
    public static final double DEFAULT_BACKOFF_FIRST_SECONDS = 1;
    public static final double DEFAULT_BACKOFF_MAX_SECONDS = 60;
    public static final int DEFAULT_MAX_RESTARTS = 5;
    public static final double DEFAULT_RESTART_WINDOW_SECONDS = 300;
    public static final String DEFAULT_STOP_SIGNAL = "TERM";
    public static final double DEFAULT_STOP_TIMEOUT_SECONDS = 10;
    public static final double DEFAULT_START_SECONDS = 1;
    /** Restart policies by their wire names. */
    public static final List<String> RESTART_POLICIES = List.of("never", "on-failure", "always");
    /** Signals a program may be stopped with. */
    public static final List<String> STOP_SIGNALS = List.of("TERM", "INT", "HUP", "QUIT", "USR1", "USR2", "KILL");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}\\$?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    public ProgramSpec {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        cwd = blankToNull(cwd);
        runAs = blankToNull(runAs);
        autostart = autostart == null ? Boolean.TRUE : autostart;
        restart = restart == null ? DEFAULT_RESTART : restart;
        backoffFirstSeconds = backoffFirstSeconds == null ? DEFAULT_BACKOFF_FIRST_SECONDS : backoffFirstSeconds;
        backoffMaxSeconds = backoffMaxSeconds == null ? DEFAULT_BACKOFF_MAX_SECONDS : backoffMaxSeconds;
        maxRestarts = maxRestarts == null ? DEFAULT_MAX_RESTARTS : maxRestarts;
        restartWindowSeconds = restartWindowSeconds == null ? DEFAULT_RESTART_WINDOW_SECONDS : restartWindowSeconds;
        stopSignal = stopSignal == null ? DEFAULT_STOP_SIGNAL : stopSignal;
        stopTimeoutSeconds = stopTimeoutSeconds == null ? DEFAULT_STOP_TIMEOUT_SECONDS : stopTimeoutSeconds;
        startSeconds = startSeconds == null ? DEFAULT_START_SECONDS : startSeconds;
    }

    /**
     * A health check.
     *
     * @param type {@code tcp}, {@code http} or {@code command}
     * @param host for tcp: the address to connect to (default 127.0.0.1)
     * @param port for tcp: the port
     * @param url for http: an http:// or https:// URL; 2xx and 3xx answers pass
     * @param command for command: the program and its arguments (no shell); exit status 0 passes
     * @param intervalSeconds time between checks; the first comes one interval after the start
     * @param timeoutSeconds longest a check may take before it counts as failed
     * @param failures failed checks in a row that restart the program
     */
    public record HealthCheck(String type, String host, Integer port, String url, List<String> command,
            Double intervalSeconds, Double timeoutSeconds, Integer failures) {
        public static final double DEFAULT_INTERVAL_SECONDS = 10;
        public static final double DEFAULT_TIMEOUT_SECONDS = 2;
        public static final int DEFAULT_FAILURES = 3;

        public HealthCheck {
            command = command == null ? List.of() : List.copyOf(command);
            host = "tcp".equals(type) && (host == null || host.isBlank()) ? "127.0.0.1" : blankToNull(host);
            url = blankToNull(url);
            intervalSeconds = intervalSeconds == null ? DEFAULT_INTERVAL_SECONDS : intervalSeconds;
            timeoutSeconds = timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
            failures = failures == null ? DEFAULT_FAILURES : failures;
        }

        void validate(String at) {
            if (type == null) {
                throw new IllegalArgumentException(at + ".type must be tcp, http or command");
            }
            switch (type) {
                case "tcp" -> {
                    if (port == null || port < 1 || port > 65535) {
                        throw new IllegalArgumentException(at + ".port must be between 1 and 65535");
                    }
                    text(host, at + ".host", 255);
                }
                case "http" -> {
                    if (url == null || !(url.startsWith("http://") || url.startsWith("https://")) || url.length() > 2048) {
                        throw new IllegalArgumentException(at + ".url must be an http:// or https:// URL of at most 2048 characters");
                    }
                    text(url, at + ".url", 2048);
                }
                case "command" -> {
                    if (command.isEmpty() || command.get(0).isBlank() || command.size() > 64) {
                        throw new IllegalArgumentException(at + ".command must be a list of 1 to 64 strings: the program, then its arguments");
                    }
                    command.forEach(c -> text(c, at + ".command[]", 4096));
                }
                default -> throw new IllegalArgumentException(at + ".type must be tcp, http or command, got '" + type + "'");
            }
            range(intervalSeconds, 0.1, 86_400, at + ".intervalSeconds");
            range(timeoutSeconds, 0.1, 300, at + ".timeoutSeconds");
            range(failures, 1, 100, at + ".failures");
        }

        /** What the check looks at, for messages: {@code tcp 127.0.0.1:8080}. */
        public String describe() {
            return switch (type) {
                case "tcp" -> "tcp " + host + ":" + port;
                case "http" -> "http " + url;
                default -> "command " + String.join(" ", command);
            };
        }
    }

    /**
     * Checks every member; {@code at} prefixes the member names in the message
     * (e.g. {@code programs[2]}).
     *
     * @throws IllegalArgumentException naming the first invalid member and what is allowed
     */
    public ProgramSpec validate(String at) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(at + ".name must be 1 to 64 letters, digits, '.', '_' or '-' (not starting with '.' or '-'), got "
                    + (name == null ? "nothing" : "'" + name + "'"));
        }
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException(at + ".command is required: the program to run (a path or a name in PATH)");
        }
        text(command, at + ".command", 4096);
        if (args.size() > 256) {
            throw new IllegalArgumentException(at + ".args must hold at most 256 arguments");
        }
        args.forEach(a -> text(a, at + ".args[]", 4096));
        if (cwd != null) {
            text(cwd, at + ".cwd", 4096);
            if (!(cwd.startsWith("/") || cwd.matches("[A-Za-z]:[\\\\/].*"))) {
                throw new IllegalArgumentException(at + ".cwd must be an absolute path, got '" + cwd + "'");
            }
        }
        if (env.size() > 256) {
            throw new IllegalArgumentException(at + ".env must hold at most 256 variables");
        }
        env.forEach((k, v) -> {
            if (k == null || !ENV_NAME.matcher(k).matches()) {
                throw new IllegalArgumentException(at + ".env: '" + k + "' is not a variable name (letters, digits and '_', not starting with a digit)");
            }
            if (k.startsWith("SERVMON_")) {
                throw new IllegalArgumentException(at + ".env: SERVMON_* variables are the agent's own and are not passed to programs");
            }
            text(v, at + ".env." + k, 4096);
        });
        if (runAs != null && !USER.matcher(runAs).matches()) {
            throw new IllegalArgumentException(at + ".runAs must be a user name (lower case letters, digits, '_', '.', '-'), got '" + runAs + "'");
        }
        if (!RESTART_POLICIES.contains(restart)) {
            throw new IllegalArgumentException(at + ".restart must be one of " + String.join(", ", RESTART_POLICIES) + ", got '" + restart + "'");
        }
        range(backoffFirstSeconds, 0.05, 3600, at + ".backoffFirstSeconds");
        range(backoffMaxSeconds, backoffFirstSeconds, 86_400, at + ".backoffMaxSeconds");
        range(maxRestarts, 0, 10_000, at + ".maxRestarts");
        range(restartWindowSeconds, 1, 7 * 86_400, at + ".restartWindowSeconds");
        if (!STOP_SIGNALS.contains(stopSignal)) {
            throw new IllegalArgumentException(at + ".stopSignal must be one of " + String.join(", ", STOP_SIGNALS) + ", got '" + stopSignal + "'");
        }
        range(stopTimeoutSeconds, 0.1, 3600, at + ".stopTimeoutSeconds");
        range(startSeconds, 0, 3600, at + ".startSeconds");
        if (healthCheck != null) {
            healthCheck.validate(at + ".healthCheck");
        }
        return this;
    }

    /** Whether {@code name} may name a program. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    private static void range(double v, double min, double max, String at) {
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(at + " must be between " + trim(min) + " and " + trim(max) + ", got " + trim(v));
        }
    }

    private static String trim(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static void text(String s, String at, int maxLength) {
        if (s == null) {
            throw new IllegalArgumentException(at + " must be a string");
        }
        if (s.length() > maxLength) {
            throw new IllegalArgumentException(at + " must be at most " + maxLength + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\0') {
                throw new IllegalArgumentException(at + " must not hold NUL characters");
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

package dev.servmon.agent;

import dev.servmon.agent.collect.CollectSettings;
import dev.servmon.agent.control.AgentChannel;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's command line, parsed without a library: picocli alone loads about 1,000 classes,
 * more than the whole agent, for a dozen options.
 *
 * <p>Every value option {@code --foo-bar} can also come from the environment variable
 * {@code SERVMON_FOO_BAR} or from key {@code foo-bar} (or {@code agent.foo-bar}) of the
 * properties file named by {@code --config} / {@code SERVMON_CONFIG}. A flag wins over the
 * environment, which wins over the file. {@link #parse} is pure: the caller reads the
 * environment and the file and hands them in.
 */
final class AgentArgs {
    /** An option of the agent's command line, in the order {@code --help} lists them. */
    enum Opt {
        HUB("--hub", "URL", "The hub's ingest URL, e.g. http://hub.example.com:8081.", "none"),
        KEY("--key", "KEY", "Host key from the dashboard's 'Add host'. Saved to the key file (mode 0600),\n"
                + "so later starts need no --key.", "read from the key file"),
        KEY_FILE("--key-file", "FILE", "Where the host key is kept.", "<state dir>/host.key"),
        CA_FILE("--ca-file", "FILE", "PEM certificate(s) to trust for an https hub instead of the system's CAs,\n"
                + "e.g. the hub-ca.pem of a hub started with --tls-self-signed.", "the system's trusted CAs"),
        STATE_DIR("--state-dir", "DIR", "Agent state: host key, sequence numbers.",
                "/var/lib/servmon-agent when writable (root), else ~/.servmon-agent"),
        INTERVAL("--interval", "SECONDS", "Seconds between samples, " + AgentConfig.MIN_INTERVAL_SECONDS + " to "
                + AgentConfig.MAX_INTERVAL_SECONDS + ".", String.valueOf(AgentConfig.DEFAULT_INTERVAL_SECONDS)),
        OUTBOX_MAX_MIB("--outbox-max-mib", "MIB", "Disk kept for samples the hub has not acknowledged yet, "
                + DeliveryOptions.MIN_OUTBOX_MAX_MIB + " to " + DeliveryOptions.MAX_OUTBOX_MAX_MIB + ";\n"
                + "beyond it the oldest are dropped (counted and logged).", String.valueOf(DeliveryOptions.DEFAULT_OUTBOX_MAX_MIB)),
        OUTBOX_MAX_AGE_HOURS("--outbox-max-age-hours", "HOURS", "Unsent samples older than this are dropped.",
                String.valueOf(DeliveryOptions.DEFAULT_OUTBOX_MAX_AGE_HOURS)),
        REPLAY_RATE("--replay-rate", "SAMPLES_PER_SECOND", "Pace of a backlog after an outage (a week at 10 s in ~5 min).",
                String.valueOf(DeliveryOptions.DEFAULT_REPLAY_SAMPLES_PER_SECOND)),
        TOP_PROCESSES("--top-processes", "N", "Processes in each top list (by CPU, by memory), 1 to 100.",
                String.valueOf(CollectSettings.DEFAULTS.topProcesses())),
        PROCESS_INTERVAL("--process-interval", "SECONDS", "Seconds between two scans of the process table, 1 to 3600.",
                String.valueOf(CollectSettings.DEFAULTS.processEvery().toSeconds())),
        NO_COMMANDS("--no-commands", null, "Read-only monitoring: open no command channel, so the hub cannot run\n"
                + "anything here (power, programs). Also no-commands=true in the config file.", null),
        COMMAND_TRANSPORT("--command-transport", "MODE", "How commands reach the agent: auto (WebSocket, long polls when a proxy\n"
                + "blocks it), websocket, or poll.", "auto"),
        POWER_HOOK("--power-hook", "FILE", "Run FILE with shutdown, reboot or suspend as its argument instead of\n"
                + "the system's command (systemctl poweroff/reboot/suspend).", "the system's command"),
        CONFIG("--config", "FILE", "Properties file with defaults for these options, keys as the option\n"
                + "without dashes: hub=http://hub.example.com:8081 (or agent.hub=...).", "none"),
        INSTALL("--install", null, "Install the agent as the systemd service servmon-agent (Linux, as root):\n"
                + "copy this jar to <prefix>/servmon-agent.jar, save the key, write\n"
                + "/etc/servmon/agent.conf and the unit, create user 'servmon', then enable\n"
                + "and start the service. Needs --hub and, the first time, --key.", null),
        UNINSTALL("--uninstall", null, "Stop and remove the service, its jar and its config. Keeps the state\n"
                + "dir (host key) unless --purge is given.", null),
        PURGE("--purge", null, "With --uninstall: also delete the state dir.", null),
        PREFIX("--prefix", "DIR", "Where --install puts the agent's jar.", "/opt/servmon"),
        /** Stages the files under another root (tests, image builds); not listed in --help. */
        INSTALL_ROOT("--install-root", "DIR", "Write the install's files under DIR instead of /; creates no user, starts nothing.", "/"),
        HELP("--help", null, "Show this help and exit.", null),
        VERSION("--version", null, "Print the version and exit.", null);

        final String flag;
        final String param;
        final String description;
        final String defaultText;

        Opt(String flag, String param, String description, String defaultText) {
            this.flag = flag;
            this.param = param;
            this.description = description;
            this.defaultText = defaultText;
        }

        boolean takesValue() {
            return param != null;
        }

        /** {@code SERVMON_KEY_FILE} for {@code --key-file}; null for flags without a value. */
        String envVar() {
            return takesValue() ? "SERVMON_" + flag.substring(2).toUpperCase(Locale.ROOT).replace('-', '_') : null;
        }

        String fileKey() {
            return flag.substring(2);
        }

        boolean hidden() {
            return this == INSTALL_ROOT;
        }

        static Opt byFlag(String flag) {
            for (Opt o : values()) {
                if (o.flag.equals(flag)) {
                    return o;
                }
            }
            return switch (flag) {
                case "-h" -> HELP;
                case "-V" -> VERSION;
                default -> null;
            };
        }
    }

    /** What the command line asks for. */
    enum Action { RUN, INSTALL, UNINSTALL, HELP, VERSION }

    /**
     * The parsed command line, defaults not yet filled in where {@link AgentConfig#of} fills
     * them (null key, key file and state dir).
     */
    record Parsed(Action action, URI hub, String key, Path keyFile, Path stateDir, int intervalSeconds,
                  Path prefix, Path installRoot, boolean purge, DeliveryOptions delivery, CollectSettings collect,
                  Map<String, String> tuning, AgentChannel.Options commands, Path caFile) {}

    /** Options that tune a running agent; {@code --install} writes those given into the service's config file. */
    static final List<Opt> TUNING = List.of(
            Opt.OUTBOX_MAX_MIB, Opt.OUTBOX_MAX_AGE_HOURS, Opt.REPLAY_RATE, Opt.TOP_PROCESSES, Opt.PROCESS_INTERVAL,
            Opt.COMMAND_TRANSPORT, Opt.POWER_HOOK, Opt.CA_FILE);

    /** A command line that cannot be run as given; the message names the option. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    private AgentArgs() {}

    /**
     * The flags given, by option, without looking at the environment or a file. Flags without
     * a value map to {@code "true"}.
     */
    static Map<Opt, String> flags(String[] args) throws UsageException {
        Map<Opt, String> given = new EnumMap<>(Opt.class);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            Opt opt = Opt.byFlag(name);
            if (opt == null) {
                throw new UsageException(arg.startsWith("-")
                        ? "unknown option '" + name + "'"
                        : "unexpected argument '" + arg + "' (every value follows its option, e.g. --interval 10)");
            }
            if (opt.takesValue()) {
                if (value == null) {
                    if (i + 1 >= args.length || Opt.byFlag(args[i + 1]) != null || Opt.byFlag(flagPart(args[i + 1])) != null) {
                        throw new UsageException(opt.flag + " needs a value: " + opt.flag + " " + opt.param);
                    }
                    value = args[++i];
                }
            } else if (value != null) {
                throw new UsageException(opt.flag + " takes no value, got '" + arg + "'");
            } else {
                value = "true";
            }
            if (given.put(opt, value) != null) {
                throw new UsageException(opt.flag + " is given twice; give it once");
            }
        }
        return given;
    }

    private static String flagPart(String arg) {
        int eq = arg.indexOf('=');
        return arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
    }

    /** The config file's path: {@code --config}, else {@code SERVMON_CONFIG}, else null. */
    static Path configFile(Map<Opt, String> flags, Map<String, String> env) throws UsageException {
        String path = flags.getOrDefault(Opt.CONFIG, nonEmpty(env.get(Opt.CONFIG.envVar())));
        return path == null ? null : path(Opt.CONFIG, path);
    }

    /**
     * Resolves every option: flag, else environment, else file, else the default.
     *
     * @param flags from {@link #flags}
     * @param env the environment
     * @param file the config file's properties (empty when there is none)
     */
    static Parsed resolve(Map<Opt, String> flags, Map<String, String> env, Properties file) throws UsageException {
        Action action = action(flags);
        if (action == Action.HELP || action == Action.VERSION) {
            return new Parsed(action, null, null, null, null, AgentConfig.DEFAULT_INTERVAL_SECONDS, null, null, false,
                    DeliveryOptions.DEFAULTS, CollectSettings.DEFAULTS, Map.of(), AgentChannel.Options.DEFAULTS, null);
        }
        String hub = value(Opt.HUB, flags, env, file);
        String interval = value(Opt.INTERVAL, flags, env, file);
        String prefix = value(Opt.PREFIX, flags, env, file);
        String root = value(Opt.INSTALL_ROOT, flags, env, file);
        String keyFile = value(Opt.KEY_FILE, flags, env, file);
        String stateDir = value(Opt.STATE_DIR, flags, env, file);
        String caFile = value(Opt.CA_FILE, flags, env, file);
        return new Parsed(action,
                hub == null ? null : uri(hub),
                value(Opt.KEY, flags, env, file),
                keyFile == null ? null : path(Opt.KEY_FILE, keyFile),
                stateDir == null ? null : path(Opt.STATE_DIR, stateDir),
                interval == null ? AgentConfig.DEFAULT_INTERVAL_SECONDS : seconds(interval),
                path(Opt.PREFIX, prefix == null ? Opt.PREFIX.defaultText : prefix),
                path(Opt.INSTALL_ROOT, root == null ? "/" : root),
                flags.containsKey(Opt.PURGE),
                new DeliveryOptions(
                        integer(Opt.OUTBOX_MAX_MIB, flags, env, file),
                        integer(Opt.OUTBOX_MAX_AGE_HOURS, flags, env, file),
                        integer(Opt.REPLAY_RATE, flags, env, file)),
                new CollectSettings(
                        integer(Opt.TOP_PROCESSES, flags, env, file),
                        Duration.ofSeconds(integer(Opt.PROCESS_INTERVAL, flags, env, file))),
                tuning(flags, env, file),
                commands(flags, env, file), caFile == null ? null : path(Opt.CA_FILE, caFile).toAbsolutePath());
    }

    private static Map<String, String> tuning(Map<Opt, String> flags, Map<String, String> env, Properties file) throws UsageException {
        Map<String, String> given = new LinkedHashMap<>();
        for (Opt o : TUNING) {
            String v = value(o, flags, env, file);
            if (v != null && o == Opt.CA_FILE) {
                // The service starts elsewhere: it needs the absolute path.
                v = Path.of(v).toAbsolutePath().toString();
            }
            if (v != null) {
                given.put(o.fileKey(), v);
            }
        }
        if (noCommands(flags, env, file)) {
            given.put(Opt.NO_COMMANDS.fileKey(), "true");
        }
        return given;
    }

    private static AgentChannel.Options commands(Map<Opt, String> flags, Map<String, String> env, Properties file) throws UsageException {
        String mode = value(Opt.COMMAND_TRANSPORT, flags, env, file);
        AgentChannel.Transport transport = mode == null ? AgentChannel.Transport.AUTO : AgentChannel.Transport.parse(mode);
        if (transport == null) {
            throw new UsageException("--command-transport must be auto, websocket or poll, got '" + mode + "'");
        }
        String hook = value(Opt.POWER_HOOK, flags, env, file);
        return new AgentChannel.Options(!noCommands(flags, env, file), transport, hook == null ? null : path(Opt.POWER_HOOK, hook));
    }

    /** {@code --no-commands}, or {@code SERVMON_NO_COMMANDS} / {@code no-commands} set to true. */
    private static boolean noCommands(Map<Opt, String> flags, Map<String, String> env, Properties file) throws UsageException {
        if (flags.containsKey(Opt.NO_COMMANDS)) {
            return true;
        }
        String v = nonEmpty(env.get("SERVMON_NO_COMMANDS"));
        if (v == null) {
            v = nonEmpty(file.getProperty("agent.no-commands", file.getProperty("no-commands")));
        }
        if (v == null) {
            return false;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new UsageException("no-commands must be true or false, got '" + v.strip() + "'");
        };
    }

    /** A whole-number option, its default when not given; the range is checked where it is used. */
    private static int integer(Opt opt, Map<Opt, String> flags, Map<String, String> env, Properties file) throws UsageException {
        String text = value(opt, flags, env, file);
        if (text == null) {
            return Integer.parseInt(opt.defaultText);
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException(opt.flag + " must be a whole number, got '" + text + "'");
        }
    }

    /** {@link #flags} then {@link #resolve}, for a caller that has the file's properties already. */
    static Parsed parse(String[] args, Map<String, String> env, Properties file) throws UsageException {
        return resolve(flags(args), env, file);
    }

    private static Action action(Map<Opt, String> flags) throws UsageException {
        if (flags.containsKey(Opt.HELP)) {
            return Action.HELP;
        }
        if (flags.containsKey(Opt.VERSION)) {
            return Action.VERSION;
        }
        boolean install = flags.containsKey(Opt.INSTALL);
        boolean uninstall = flags.containsKey(Opt.UNINSTALL);
        if (install && uninstall) {
            throw new UsageException("--install and --uninstall exclude each other; give one");
        }
        if (flags.containsKey(Opt.PURGE) && !uninstall) {
            throw new UsageException("--purge only goes with --uninstall");
        }
        return install ? Action.INSTALL : uninstall ? Action.UNINSTALL : Action.RUN;
    }

    private static String value(Opt opt, Map<Opt, String> flags, Map<String, String> env, Properties file) {
        String v = flags.get(opt);
        if (v == null) {
            v = nonEmpty(env.get(opt.envVar()));
        }
        if (v == null) {
            v = nonEmpty(file.getProperty("agent." + opt.fileKey(), file.getProperty(opt.fileKey())));
        }
        return v == null ? null : v.strip();
    }

    private static String nonEmpty(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static URI uri(String text) throws UsageException {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new UsageException("--hub must be a URL such as http://hub.example.com:8081, got '" + text + "' (" + e.getReason() + ")");
        }
    }

    private static int seconds(String text) throws UsageException {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--interval must be a whole number of seconds between " + AgentConfig.MIN_INTERVAL_SECONDS
                    + " and " + AgentConfig.MAX_INTERVAL_SECONDS + ", got '" + text + "'");
        }
    }

    private static Path path(Opt opt, String text) throws UsageException {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new UsageException(opt.flag + " must be a path, got '" + text + "': " + e.getReason());
        }
    }

    /** The text {@code --help} prints: every option with its environment variable and default. */
    static String usage() {
        StringBuilder sb = new StringBuilder(3_000);
        sb.append("Usage: servmon agent [OPTIONS]\n")
          .append("       java -jar servmon-agent.jar [OPTIONS]\n\n")
          .append("Collect this machine's metrics every --interval seconds and send them to the hub.\n")
          .append("Give the host key once with --key; it is saved to the key file and read from there\n")
          .append("on later starts.\n\n")
          .append("Options:\n");
        for (Opt o : Opt.values()) {
            if (o == Opt.INSTALL) {
                sb.append("\nInstall as a service:\n");
            } else if (o == Opt.HELP) {
                sb.append('\n');
            }
            if (o.hidden()) {
                continue;
            }
            String head = "  " + (o == Opt.HELP ? "-h, " : o == Opt.VERSION ? "-V, " : "") + o.flag + (o.takesValue() ? " " + o.param : "");
            String[] lines = o.description.split("\n");
            sb.append(String.format(Locale.ROOT, "%-24s%s%n", head, lines[0]));
            for (int i = 1; i < lines.length; i++) {
                sb.append(String.format(Locale.ROOT, "%-24s%s%n", "", lines[i]));
            }
            if (o.takesValue()) {
                String fallback = o == Opt.HUB ? "required" : "default: " + o.defaultText;
                sb.append(String.format(Locale.ROOT, "%-24s(env %s; %s)%n", "", o.envVar(), fallback));
            }
        }
        sb.append("\nFlags win over environment variables, which win over the config file.\n")
          .append("SERVMON_LOG_LEVEL (debug, info, warn, error) sets the log level; logs go to stderr.\n\n")
          .append("Exit codes: 0 stopped normally (or done), 1 error, 2 bad usage or configuration,\n")
          .append("            3 the hub rejected the host key (register the host again).\n");
        return sb.toString();
    }
}

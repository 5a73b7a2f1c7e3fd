package dev.servmon.agent;

import dev.servmon.agent.AgentArgs.Opt;
import dev.servmon.agent.AgentArgs.Parsed;
import dev.servmon.agent.AgentArgs.UsageException;
import dev.servmon.agent.control.AgentChannel;
import dev.servmon.agent.control.CommandHandlers;
import dev.servmon.agent.control.PowerHandlers;
import dev.servmon.agent.install.InstallException;
import dev.servmon.agent.transport.Backoff;
import java.time.Duration;
import java.util.Random;
import dev.servmon.agent.install.InstallLayout;
import dev.servmon.agent.install.Installer;
import dev.servmon.agent.install.LinuxSystem;
import dev.servmon.agent.install.SystemOps;
import dev.servmon.protocol.ProtocolVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * The agent's own entry point: {@code java -jar servmon-agent.jar [OPTIONS]}, and what
 * {@code servmon agent} hands over to. It parses the command line itself ({@link AgentArgs})
 * so that running the agent loads the agent's classes and little else.
 *
 * <p>Exit codes: {@value #EXIT_OK} stopped normally or done, {@value #EXIT_ERROR} error,
 * {@value #EXIT_USAGE} bad usage or configuration, {@value #EXIT_KEY_REJECTED} the hub
 * rejected the host key.
 */
public final class AgentMain {
    public static final int EXIT_OK = 0;
    public static final int EXIT_ERROR = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_KEY_REJECTED = 3;
    /**
     * Where the fat {@code servmon.jar} carries the agent's own jar (the hub serves it to
     * installers; {@code servmon agent --install} installs it).
     */
    public static final String EMBEDDED_JAR = "META-INF/servmon/servmon-agent.jar";
    private static final String PREFIX = "servmon agent: ";
    private static final Path SYSTEM_JAVA = Path.of("/usr/bin/java");

    private AgentMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * Runs the command line and returns the exit code. Running the agent returns only when it
     * stops (SIGTERM, or the hub rejected the key).
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Parsed parsed;
        try {
            Map<Opt, String> flags = AgentArgs.flags(args);
            Path configFile = flags.containsKey(Opt.HELP) || flags.containsKey(Opt.VERSION) ? null : AgentArgs.configFile(flags, env);
            parsed = AgentArgs.resolve(flags, env, readConfig(configFile));
        } catch (UsageException e) {
            err.println(PREFIX + e.getMessage() + "; see --help");
            return EXIT_USAGE;
        } catch (IllegalArgumentException e) {
            err.println(PREFIX + e.getMessage());
            return EXIT_USAGE;
        }
        try {
            return switch (parsed.action()) {
                case HELP -> {
                    out.print(AgentArgs.usage());
                    yield EXIT_OK;
                }
                case VERSION -> {
                    out.println("servmon agent " + AgentVersion.current());
                    out.println("protocol " + ProtocolVersion.CURRENT);
                    out.println("java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
                    yield EXIT_OK;
                }
                case RUN -> runAgent(parsed);
                case INSTALL -> {
                    installer(parsed, out).install(new Installer.Request(parsed.hub(), parsed.key(), parsed.intervalSeconds(),
                            parsed.tuning(), jarToInstall(), javaForService(Path.of(System.getProperty("java.home")), SYSTEM_JAVA)));
                    yield EXIT_OK;
                }
                case UNINSTALL -> {
                    installer(parsed, out).uninstall(parsed.purge());
                    yield EXIT_OK;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println(PREFIX + e.getMessage());
            return EXIT_USAGE;
        } catch (InstallException e) {
            err.println(PREFIX + e.getMessage());
            return EXIT_ERROR;
        } catch (IOException e) {
            err.println(PREFIX + e.getMessage());
            return EXIT_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_ERROR;
        }
    }

    private static int runAgent(Parsed p) throws IOException, InterruptedException {
        AgentConfig cfg = AgentConfig.of(p.hub(), p.key(), p.keyFile(), p.stateDir(), p.intervalSeconds());
        if (p.caFile() != null) {
            // The agent talks to the hub only, so the process-wide default is the hub's trust.
            javax.net.ssl.HttpsURLConnection.setDefaultSSLSocketFactory(dev.servmon.agent.transport.HubTrust.socketFactory(p.caFile()));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (Agent agent = new Agent(cfg, p.delivery(), p.collect());
             AgentChannel commands = commandChannel(cfg, p.commands(), agent.commands())) {
            // SIGTERM (systemd, Ctrl-C): stop the agent and let run() finish its last log line.
            Thread hook = new Thread(() -> {
                if (commands != null) {
                    commands.close();
                }
                agent.close();
                try {
                    stopped.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "servmon-agent-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return agent.run() == Agent.Outcome.KEY_REJECTED ? EXIT_KEY_REJECTED : EXIT_OK;
            } finally {
                stopped.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // The JVM is shutting down; the hook is running or has run.
                }
            }
        }
    }

    /**
     * The command channel beside the reports, started; null with {@code --no-commands}. It
     * dispatches to the agent's handlers (programs register theirs in {@link Agent}) plus power.
     */
    private static AgentChannel commandChannel(AgentConfig cfg, AgentChannel.Options options, CommandHandlers handlers) {
        if (!options.enabled()) {
            Log.get(AgentMain.class).info("servmon agent: --no-commands: no command channel; the hub can only watch this host");
            return null;
        }
        PowerHandlers.register(handlers, options.powerHook());
        AgentChannel channel = new AgentChannel(cfg.hubUrl(), cfg.key(), AgentVersion.current(), handlers, options.transport(),
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random()), AgentChannel.MAX_POLL_SECONDS);
        channel.start();
        return channel;
    }

    private static Installer installer(Parsed p, PrintStream out) {
        if (p.keyFile() != null && p.action() == AgentArgs.Action.INSTALL) {
            throw new IllegalArgumentException("--install keeps the host key in <state dir>/" + AgentConfig.KEY_FILE_NAME
                    + "; drop --key-file (--state-dir DIR moves both)");
        }
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            throw new IllegalArgumentException("--install and --uninstall set up a systemd service on Linux; on "
                    + System.getProperty("os.name") + ", run 'java -jar servmon-agent.jar --hub URL --key KEY' from your service manager");
        }
        InstallLayout layout = InstallLayout.of(p.installRoot(), p.prefix(), p.stateDir());
        SystemOps system = layout.staged() ? SystemOps.STAGED : new LinuxSystem();
        return new Installer(layout, system, out);
    }

    /**
     * The agent jar to install: the one the fat {@code servmon.jar} carries when running
     * from it, else the jar running now, when it is the agent's own.
     */
    static Path jarToInstall() throws InstallException {
        try (InputStream embedded = AgentMain.class.getClassLoader().getResourceAsStream(EMBEDDED_JAR)) {
            if (embedded != null) {
                Path tmp = Files.createTempFile("servmon-agent", ".jar");
                tmp.toFile().deleteOnExit();
                Files.copy(embedded, tmp, StandardCopyOption.REPLACE_EXISTING);
                return tmp;
            }
        } catch (IOException e) {
            throw new InstallException("cannot extract the agent jar from " + runningFrom() + ": " + e, e);
        }
        Path running = runningFrom();
        if (running != null && Files.isRegularFile(running) && isAgentJar(running)) {
            return running;
        }
        throw new InstallException("--install copies the agent jar it runs from, but this runs from " + running
                + ": run it as 'java -jar servmon-agent.jar --install ...' (build it with ./mvnw -B package, "
                + "it is agent/target/servmon-agent.jar, or download it from the hub: <hub>/install/servmon-agent.jar)");
    }

    private static Path runningFrom() {
        CodeSource source = AgentMain.class.getProtectionDomain().getCodeSource();
        try {
            return source == null || source.getLocation() == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isAgentJar(Path file) {
        try (JarFile jar = new JarFile(file.toFile())) {
            var manifest = jar.getManifest();
            return manifest != null && AgentMain.class.getName().equals(manifest.getMainAttributes().getValue("Main-Class"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The java the service runs: {@code /usr/bin/java} when that is the java running now (it
     * follows the distribution's updates), else this java's own path.
     */
    static Path javaForService(Path javaHome, Path systemJava) {
        Path current = javaHome.resolve("bin").resolve("java");
        try {
            if (Files.isExecutable(systemJava) && Files.isSameFile(systemJava.toRealPath(), current.toRealPath())) {
                return systemJava;
            }
        } catch (IOException e) {
            // One of them cannot be resolved: use the one known to run.
        }
        return current;
    }

    private static Properties readConfig(Path file) {
        Properties p = new Properties();
        if (file == null) {
            return p;
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the config file " + file.toAbsolutePath() + " does not exist: fix --config or SERVMON_CONFIG");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read the config file " + file.toAbsolutePath() + " (permission denied)");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the config file " + file.toAbsolutePath() + ": " + e);
        }
        return p;
    }
}

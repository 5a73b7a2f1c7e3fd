package dev.servmon.app;

import dev.servmon.agent.AgentMain;
import dev.servmon.app.backup.BackupCommand;
import dev.servmon.app.backup.RestoreCommand;
import dev.servmon.app.migrate.MigrateCommand;
import dev.servmon.app.simulate.SimulateCommand;
import dev.servmon.app.user.UserCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code servmon} command. */
@Command(name = "servmon",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Self-hosted monitoring and management for a fleet of servers.",
        subcommands = {HubCommand.class, AgentCommand.class, DemoCommand.class, BackupCommand.class, RestoreCommand.class,
                MigrateCommand.class, SimulateCommand.class, UserCommand.class, VersionCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Every option can also be set by environment variable (SERVMON_<OPTION>, e.g. SERVMON_INGEST_PORT)",
                "or in a properties file given by --config FILE or SERVMON_CONFIG (key 'hub.port' or 'port').",
                "Flags win over the environment, which wins over the file."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "servmon: name a command: hub, agent, demo, backup, restore, migrate, simulate, user or version (see --help)");
    }

    public static void main(String[] args) {
        int code = run(args);
        // Jetty can leave non-daemon threads behind after stop; exit explicitly.
        System.exit(code);
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int run(String... args) {
        String[] agent = AgentCommand.agentArgs(args);
        if (agent != null) {
            // The agent parses its own options: picocli never builds its command model for it.
            return AgentMain.run(agent, System.getenv(), System.out, System.err);
        }
        return runCommand(args);
    }

    private static int runCommand(String... args) {
        CommandLine cli = new CommandLine(new Main());
        try {
            cli.setDefaultValueProvider(ConfigDefaults.load(args, System.getenv()));
        } catch (CommandLine.ParameterException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException) {
                // Messages name their command ("servmon backup: …") or at least the program ("servmon: …").
                cmd.getErr().println(e.getMessage().startsWith("servmon") ? e.getMessage() : "servmon: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }
}

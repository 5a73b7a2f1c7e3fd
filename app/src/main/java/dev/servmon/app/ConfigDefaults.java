package dev.servmon.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults for every option, from the environment and then a config file; flags given on the
 * command line win over both, and the built-in default applies when none says anything.
 *
 * <p>For option {@code --ingest-port} of command {@code hub}: environment variable
 * {@code SERVMON_INGEST_PORT}, then key {@code hub.ingest-port} or {@code ingest-port} in the
 * properties file named by {@code --config FILE} or {@code SERVMON_CONFIG}.
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> env;
    private final Properties file;

    ConfigDefaults(Map<String, String> env, Properties file) {
        this.env = env;
        this.file = file;
    }

    static ConfigDefaults load(String[] args, Map<String, String> env) {
        String path = env.get("SERVMON_CONFIG");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                path = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                path = args[i].substring("--config=".length());
            }
        }
        Properties p = new Properties();
        if (path != null && !path.isBlank()) {
            Path file = Path.of(path);
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new CommandLine.ParameterException(new CommandLine(new Object()),
                        "servmon: cannot read config file " + file.toAbsolutePath() + ": " + e.getMessage());
            }
        }
        return new ConfigDefaults(env, p);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.longestName().equals("--config") || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        String key = option.longestName().replaceFirst("^-+", "");
        String fromEnv = env.get("SERVMON_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv;
        }
        String command = option.command() == null ? "" : option.command().name();
        String fromFile = file.getProperty(command + "." + key, file.getProperty(key));
        return fromFile == null || fromFile.isEmpty() ? null : fromFile.strip();
    }
}

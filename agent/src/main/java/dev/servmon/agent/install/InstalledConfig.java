package dev.servmon.agent.install;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The config file {@code --install} writes ({@code /etc/servmon/agent.conf}): the options the
 * service starts with, as {@code --config} reads them. It holds no secret (the key is in the
 * key file), so it is world-readable.
 *
 * @param hub the hub's ingest URL
 * @param intervalSeconds seconds between samples
 * @param stateDir the state directory
 * @param tuning other options given at install ({@code replay-rate=50}, …), by file key, in order
 */
public record InstalledConfig(URI hub, int intervalSeconds, Path stateDir, Map<String, String> tuning) {
    public InstalledConfig {
        tuning = new TreeMap<>(tuning);
    }

    /** The file's text. */
    public String render() {
        StringBuilder sb = new StringBuilder(256)
                .append("# servmon agent configuration, written by --install and read by the service (--config).\n")
                .append("# Options given as flags or SERVMON_* environment variables win over these.\n")
                .append("hub=").append(escape(hub.toString())).append('\n')
                .append("interval=").append(intervalSeconds).append('\n')
                .append("state-dir=").append(escape(stateDir.toString())).append('\n');
        tuning.forEach((k, v) -> sb.append(k).append('=').append(escape(v)).append('\n'));
        return sb.toString();
    }

    /** The state directory named in a config file's text, or null when it names none. */
    static Path stateDirOf(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string cannot fail", e);
        }
        String dir = p.getProperty("state-dir");
        return dir == null || dir.isBlank() ? null : Path.of(dir.strip());
    }

    /** A properties value: only backslashes and line breaks need escaping there. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }
}

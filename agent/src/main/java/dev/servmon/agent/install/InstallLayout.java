package dev.servmon.agent.install;

import dev.servmon.agent.AgentConfig;
import java.nio.file.Path;

/**
 * Where an install puts things. Paths are as the service sees them ({@code /opt/servmon/...});
 * {@link #onDisk} maps them under {@link #root()}, which is {@code /} except when files are
 * staged elsewhere (tests, image builds).
 *
 * @param root the filesystem root the files are written under
 * @param prefix directory of the agent's jar, e.g. {@code /opt/servmon}
 * @param stateDir the agent's state directory, e.g. {@code /var/lib/servmon-agent}
 */
public record InstallLayout(Path root, Path prefix, Path stateDir) {
    /** The systemd unit's name. */
    public static final String UNIT_NAME = "servmon-agent.service";
    /** The user the service runs as. */
    public static final String SERVICE_USER = "servmon";
    /** File name of the installed jar in the prefix. */
    public static final String JAR_NAME = "servmon-agent.jar";
    /** Default prefix. */
    public static final Path DEFAULT_PREFIX = Path.of("/opt/servmon");
    private static final Path CONFIG_FILE = Path.of("/etc/servmon/agent.conf");
    private static final Path UNIT_DIR = Path.of("/etc/systemd/system");

    public InstallLayout {
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("--install-root must be an absolute path, got " + root);
        }
        prefix = checkUnitPath("--prefix", prefix);
        stateDir = checkUnitPath("--state-dir", stateDir);
    }

    /** The default layout under {@code root}, with the given prefix (null: the default). */
    public static InstallLayout of(Path root, Path prefix, Path stateDir) {
        return new InstallLayout(root, prefix == null ? DEFAULT_PREFIX : prefix,
                stateDir == null ? AgentConfig.SYSTEM_STATE_DIR : stateDir);
    }

    public Path jar() {
        return prefix.resolve(JAR_NAME);
    }

    public Path configFile() {
        return CONFIG_FILE;
    }

    public Path unitFile() {
        return UNIT_DIR.resolve(UNIT_NAME);
    }

    public Path keyFile() {
        return stateDir.resolve(AgentConfig.KEY_FILE_NAME);
    }

    /** True when the files go somewhere else than the live system. */
    public boolean staged() {
        return root.getParent() != null;
    }

    /** Where {@code path} (as the service sees it) is written: under {@link #root()}. */
    public Path onDisk(Path path) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
        return staged() ? root.resolve(path.getRoot().relativize(path)) : path;
    }

    /** Paths go into the unit file, where systemd would read spaces, quotes, % and $ as syntax. */
    private static Path checkUnitPath(String option, Path path) {
        String text = path.toString();
        boolean plain = path.isAbsolute();
        for (int i = 0; plain && i < text.length(); i++) {
            char c = text.charAt(i);
            plain = c > ' ' && c != 0x7f && "\"'\\%$;".indexOf(c) < 0;
        }
        if (!plain) {
            throw new IllegalArgumentException(option + " must be an absolute path without spaces, quotes or any of \\ % $ ; "
                    + "(it is written into the systemd unit), got '" + text + "'");
        }
        return path.normalize();
    }
}

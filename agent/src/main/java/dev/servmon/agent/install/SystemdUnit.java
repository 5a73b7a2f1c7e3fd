package dev.servmon.agent.install;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The systemd unit of the agent, rendered by a pure function.
 *
 * <p>The service runs as the unprivileged system user {@value InstallLayout#SERVICE_USER}
 * with no capabilities, a read-only view of the system except its state directory, and
 * private {@code /tmp} and {@code /dev}. One privileged pre-start line lets that user's group
 * read the RAPL energy counters, which the kernel makes root-only (docs/decisions.md).
 */
public final class SystemdUnit {
    /**
     * What the unit runs.
     *
     * @param user the service user (also the group granted the RAPL counters)
     * @param java the java binary
     * @param environment environment variables of the service, {@code NAME=value}
     * @param jvmFlags flags before {@code -jar}
     * @param jar the agent's jar
     * @param config the agent's config file, passed as {@code --config}
     * @param stateDir the one directory the service may write
     */
    public record Spec(String user, Path java, List<String> environment, List<String> jvmFlags, Path jar, Path config, Path stateDir) {
        public Spec {
            environment = List.copyOf(environment);
            jvmFlags = List.copyOf(jvmFlags);
        }
    }

    private SystemdUnit() {}

    /** The unit file's text. */
    public static String render(Spec spec) {
        return "# servmon agent: reports this server's metrics to the servmon hub.\n"
                + "# Written by 'java -jar " + spec.jar() + " --install'; remove it with --uninstall.\n"
                + "[Unit]\n"
                + "Description=servmon agent\n"
                + "Wants=network-online.target\n"
                + "After=network-online.target\n"
                + "\n"
                + "[Service]\n"
                + "Type=simple\n"
                + "User=" + spec.user() + "\n"
                + "# RAPL energy counters are root-only (CVE-2020-8694): let the agent's group read them to\n"
                + "# report power. '+' runs this line as root, '-' starts the agent even if it fails.\n"
                + "ExecStartPre=-+/bin/sh -c 'for f in /sys/class/powercap/*/energy_uj; do [ -e \"$$f\" ] && chgrp "
                + spec.user() + " \"$$f\" && chmod g+r \"$$f\"; done; exit 0'\n"
                + "# Environment and JVM flags for a small footprint: docs/decisions.md, \"Agent JVM flags\".\n"
                + environmentLines(spec)
                + "ExecStart=" + commandLine(spec) + "\n"
                + "Restart=always\n"
                + "RestartSec=5\n"
                + "# 2: bad configuration, 3: the hub rejected the host key; restarting cannot fix either.\n"
                + "RestartPreventExitStatus=2 3\n"
                + "# The JVM exits with 143 when systemd stops it with SIGTERM.\n"
                + "SuccessExitStatus=143\n"
                + "# Stopping or restarting the agent ends the agent only: the programs it supervises keep\n"
                + "# running and the next start re-adopts them (docs/programs.md).\n"
                + "KillMode=process\n"
                + "UMask=0077\n"
                + "NoNewPrivileges=yes\n"
                + "CapabilityBoundingSet=\n"
                + "ProtectSystem=strict\n"
                + "ReadWritePaths=" + spec.stateDir() + "\n"
                + "ProtectHome=read-only\n"
                + "PrivateTmp=yes\n"
                + "PrivateDevices=yes\n"
                + "ProtectKernelTunables=yes\n"
                + "ProtectKernelModules=yes\n"
                + "ProtectControlGroups=yes\n"
                + "ProtectKernelLogs=yes\n"
                + "ProtectClock=yes\n"
                + "ProtectHostname=yes\n"
                + "RestrictSUIDSGID=yes\n"
                + "RestrictNamespaces=yes\n"
                + "RestrictRealtime=yes\n"
                + "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK\n"
                + "SystemCallArchitectures=native\n"
                + "LockPersonality=yes\n"
                + "# No MemoryDenyWriteExecute: the JIT writes code at run time.\n"
                + "\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }

    /** The command the service runs, as words: what {@code ExecStart} runs, in the unit's environment. */
    public static List<String> command(Spec spec) {
        List<String> words = new ArrayList<>();
        words.add(spec.java().toString());
        words.addAll(spec.jvmFlags());
        words.addAll(List.of("-jar", spec.jar().toString(), "--config", spec.config().toString()));
        return words;
    }

    /**
     * The command with its environment, as words for a person who starts the agent by hand:
     * {@code env NAME=value … java …}.
     */
    public static List<String> commandWithEnvironment(Spec spec) {
        List<String> words = new ArrayList<>();
        if (!spec.environment().isEmpty()) {
            words.add("env");
            words.addAll(spec.environment());
        }
        words.addAll(command(spec));
        return words;
    }

    private static String environmentLines(Spec spec) {
        StringBuilder sb = new StringBuilder();
        for (String variable : spec.environment()) {
            sb.append("Environment=").append(quote(variable)).append('\n');
        }
        return sb.toString();
    }

    private static String commandLine(Spec spec) {
        StringBuilder sb = new StringBuilder();
        for (String word : command(spec)) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quote(word));
        }
        return sb.toString();
    }

    /**
     * One word of an {@code Exec} line: {@code %} and {@code $} doubled (systemd would expand
     * them), and double quotes around words with spaces, quotes or backslashes.
     */
    static String quote(String word) {
        String escaped = word.replace("%", "%%").replace("$", "$$");
        boolean plain = !escaped.isEmpty();
        for (int i = 0; plain && i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            plain = c > ' ' && c != '"' && c != '\'' && c != '\\' && c != ';';
        }
        if (plain) {
            return escaped;
        }
        return "\"" + escaped.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The jar a unit written by {@link #render} runs, or null when the text has none. */
    static Path jarOf(String unitText) {
        for (String line : unitText.split("\n")) {
            if (line.startsWith("ExecStart=")) {
                String[] words = line.substring("ExecStart=".length()).split(" ");
                for (int i = 0; i + 1 < words.length; i++) {
                    if (words[i].equals("-jar") && words[i + 1].startsWith("/")) {
                        return Path.of(words[i + 1]);
                    }
                }
            }
        }
        return null;
    }
}

package dev.servmon.agent.programs;

import dev.servmon.agent.collect.Command;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** systemd units through {@code systemctl}: one {@code systemctl show} for all watched units. */
final class SystemdUnits implements UnitWatcher.Backend {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ACT_TIMEOUT = Duration.ofSeconds(120);
    static final String PROPERTIES = "Id,LoadState,ActiveState,SubState,MainPID,ExecMainStatus";

    @Override
    public String kind() {
        return "systemd";
    }

    @Override
    public List<UnitWatcher.UnitStatus> status(List<String> names) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("systemctl", "show", "--property=" + PROPERTIES, "--"));
        cmd.addAll(names);
        return parse(names, Command.run(cmd, READ_TIMEOUT));
    }

    @Override
    public String act(String name, String action) throws IOException, InterruptedException {
        if (!List.of("start", "stop", "restart").contains(action)) {
            throw new IllegalArgumentException("unit action must be start, stop or restart, got '" + action + "'");
        }
        Command.run(List.of("systemctl", action, "--", name), ACT_TIMEOUT);
        return "systemctl " + action + " " + name + ": done";
    }

    /**
     * Parses {@code systemctl show} output: one block of {@code Key=value} lines per unit, in the
     * order asked, separated by blank lines.
     */
    static List<UnitWatcher.UnitStatus> parse(List<String> names, String text) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> block = new HashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isBlank()) {
                if (!block.isEmpty()) {
                    blocks.add(block);
                    block = new HashMap<>();
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0) {
                block.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        if (!block.isEmpty()) {
            blocks.add(block);
        }
        List<UnitWatcher.UnitStatus> out = new ArrayList<>(names.size());
        for (int i = 0; i < names.size() && i < blocks.size(); i++) {
            out.add(status(names.get(i), blocks.get(i)));
        }
        return out;
    }

    private static UnitWatcher.UnitStatus status(String name, Map<String, String> p) {
        String load = p.getOrDefault("LoadState", "");
        String active = p.getOrDefault("ActiveState", "");
        String sub = p.getOrDefault("SubState", "");
        if (load.equals("not-found")) {
            return new UnitWatcher.UnitStatus(name, "UNKNOWN", null, null, "no such unit");
        }
        String state = switch (active) {
            case "active", "reloading" -> sub.equals("exited") ? "EXITED" : "RUNNING";
            case "activating" -> sub.equals("auto-restart") ? "BACKOFF" : "STARTING";
            case "deactivating" -> "STOPPING";
            case "inactive" -> "STOPPED";
            case "failed" -> "FAILED";
            default -> "UNKNOWN";
        };
        long pid = number(p.get("MainPID"));
        long status = number(p.get("ExecMainStatus"));
        return new UnitWatcher.UnitStatus(name, state, pid > 0 ? pid : null,
                status >= 0 && !state.equals("RUNNING") && !state.equals("STARTING") ? (int) status : null,
                active + " (" + sub + ")");
    }

    private static long number(String s) {
        try {
            return s == null || s.isEmpty() ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

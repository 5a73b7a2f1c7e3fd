package dev.servmon.agent.programs;

import dev.servmon.agent.collect.Command;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Windows services through {@code sc.exe}: {@code sc queryex NAME} for the state and pid,
 * {@code sc start|stop NAME} to act; a restart stops, waits up to 30 s for STOPPED, then starts.
 * Not exercised on a Windows machine yet: only the parser is tested, with captured output.
 */
final class WindowsServices implements UnitWatcher.Backend {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Override
    public String kind() {
        return "windows-service";
    }

    @Override
    public List<UnitWatcher.UnitStatus> status(List<String> names) throws IOException, InterruptedException {
        List<UnitWatcher.UnitStatus> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(parse(n, Command.runAnyStatus(List.of("sc", "queryex", n), TIMEOUT)));
        }
        return out;
    }

    @Override
    public String act(String name, String action) throws IOException, InterruptedException {
        switch (action) {
            case "start", "stop" -> Command.runAnyStatus(List.of("sc", action, name), TIMEOUT);
            case "restart" -> {
                Command.runAnyStatus(List.of("sc", "stop", name), TIMEOUT);
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (!parse(name, Command.runAnyStatus(List.of("sc", "queryex", name), TIMEOUT)).state().equals("STOPPED")) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("service " + name + " did not stop within " + TIMEOUT.toSeconds() + " s");
                    }
                    Thread.sleep(500);
                }
                Command.runAnyStatus(List.of("sc", "start", name), TIMEOUT);
            }
            default -> throw new IllegalArgumentException("service action must be start, stop or restart, got '" + action + "'");
        }
        UnitWatcher.UnitStatus now = parse(name, Command.runAnyStatus(List.of("sc", "queryex", name), TIMEOUT));
        return "sc " + action + " " + name + ": now " + now.message();
    }

    /** Parses {@code sc queryex} output ({@code STATE : 4  RUNNING}, {@code WIN32_EXIT_CODE : 0  (0x0)}, {@code PID : 1234}). */
    static UnitWatcher.UnitStatus parse(String name, String text) {
        String stateWord = null;
        Integer exit = null;
        Long pid = null;
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            int colon = line.indexOf(':');
            if (colon < 0) {
                if (line.contains("1060")) {
                    return new UnitWatcher.UnitStatus(name, "UNKNOWN", null, null, "no such service");
                }
                continue;
            }
            String key = line.substring(0, colon).strip();
            String[] value = line.substring(colon + 1).strip().split("\\s+");
            switch (key) {
                case "STATE" -> stateWord = value.length > 1 ? value[1] : null;
                case "WIN32_EXIT_CODE" -> exit = integer(value[0]);
                case "PID" -> {
                    Integer p = integer(value[0]);
                    pid = p == null || p == 0 ? null : p.longValue();
                }
                default -> {
                    if (line.contains("FAILED 1060")) {
                        return new UnitWatcher.UnitStatus(name, "UNKNOWN", null, null, "no such service");
                    }
                }
            }
        }
        if (stateWord == null) {
            return new UnitWatcher.UnitStatus(name, "UNKNOWN", null, null, text.strip().lines().findFirst().orElse("no answer"));
        }
        String state = switch (stateWord) {
            case "RUNNING" -> "RUNNING";
            case "START_PENDING", "CONTINUE_PENDING" -> "STARTING";
            case "STOP_PENDING", "PAUSE_PENDING" -> "STOPPING";
            case "STOPPED", "PAUSED" -> "STOPPED";
            default -> "UNKNOWN";
        };
        return new UnitWatcher.UnitStatus(name, state, "RUNNING".equals(state) ? pid : null,
                "STOPPED".equals(state) ? exit : null, stateWord);
    }

    private static Integer integer(String s) {
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

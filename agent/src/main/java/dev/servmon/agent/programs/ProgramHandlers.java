package dev.servmon.agent.programs;

import dev.servmon.agent.control.CommandHandler;
import dev.servmon.agent.control.CommandHandlers;
import dev.servmon.agent.control.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The program and unit commands the hub sends, on top of a {@link Supervisor}:
 * <ul>
 *   <li>{@code programs.apply {programs:[spec…], revision}}: the whole desired set (see {@link dev.servmon.protocol.ProgramSpec})
 *       and the hub's revision of it (0 when absent, as from older hubs), kept with the set; data {@code {revision}};
 *   <li>{@code program.start|stop|restart {name}};
 *   <li>{@code program.tail {name, lines}}: data {@code {lines:[…]}}, oldest first;
 *   <li>{@code units.watch {units:[name…]}}: the systemd units / Windows services reported in samples;
 *   <li>{@code unit.status|start|stop|restart {unit}}: data {@code {state, pid, exitCode, message}} for status.
 * </ul>
 * A bad argument or an unknown program is a failed result whose message says what is wrong.
 */
public final class ProgramHandlers implements CommandHandler {
    /** Every command type carried out here. */
    static final List<String> TYPES = List.of("programs.apply", "program.start", "program.stop", "program.restart", "program.tail",
            "units.watch", "unit.status", "unit.start", "unit.stop", "unit.restart");

    private final String type;
    private final Supervisor supervisor;

    // One class for all types, switching on the type: no lambda or inner class per command for the agent to load.
    private ProgramHandlers(String type, Supervisor supervisor) {
        this.type = type;
        this.supervisor = supervisor;
    }

    /** The name under which the agent reports its {@link Supervisor#revision()} when its channel connects. */
    public static final String REVISION = "programs";

    /**
     * Registers a handler for each of {@link #TYPES} in {@code handlers}, and the supervisor's
     * revision as {@value #REVISION}.
     */
    public static void register(CommandHandlers handlers, Supervisor supervisor) {
        for (String type : TYPES) {
            handlers.register(new ProgramHandlers(type, supervisor));
        }
        handlers.revision(REVISION, supervisor::revision);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public CommandResult handle(Map<String, Object> given) throws Exception {
        Map<String, Object> args = given == null ? Map.of() : given;
        try {
            return switch (type) {
                case "programs.apply" -> apply(args);
                case "program.start" -> CommandResult.ok(supervisor.start(name(args)));
                case "program.stop" -> CommandResult.ok(supervisor.stop(name(args)));
                case "program.restart" -> CommandResult.ok(supervisor.restart(name(args)));
                case "program.tail" -> tail(args);
                case "units.watch" -> watch(args);
                case "unit.status" -> unitStatus(args);
                default -> CommandResult.ok(supervisor.units().act(unit(args), type.substring("unit.".length())));
            };
        } catch (IllegalArgumentException | IllegalStateException e) {
            return CommandResult.failed(e.getMessage());
        }
    }

    private CommandResult apply(Map<String, Object> args) throws java.io.IOException {
        var specs = ProgramSpecs.readAll(args.get("programs"));
        long revision = revision(args.get("revision"));
        return new CommandResult(true, supervisor.apply(specs, revision), Map.of("revision", revision));
    }

    private static long revision(Object v) {
        if (v == null) {
            return 0;
        }
        if (!(v instanceof Long n) || n < 0) {
            throw new IllegalArgumentException("revision must be a whole number from 0, got " + v);
        }
        return n;
    }

    private CommandResult tail(Map<String, Object> args) throws java.io.IOException {
        String name = name(args);
        List<String> tail = supervisor.tail(name, lines(args.get("lines")));
        return new CommandResult(true, tail.size() + " lines of " + name, Map.of("lines", tail));
    }

    private CommandResult watch(Map<String, Object> args) throws java.io.IOException {
        if (!(args.get("units") instanceof List<?> list)) {
            throw new IllegalArgumentException("units must be a list of unit or service names");
        }
        List<String> names = new ArrayList<>(list.size());
        for (Object o : list) {
            names.add(String.valueOf(o));
        }
        supervisor.watchUnits(names);
        return CommandResult.ok("watching " + names.size() + " units");
    }

    private CommandResult unitStatus(Map<String, Object> args) throws java.io.IOException, InterruptedException {
        UnitWatcher units = supervisor.units();
        var s = units.status(unit(args));
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("unit", s.name());
        data.put("kind", units.kind());
        data.put("state", s.state());
        if (s.pid() != null) {
            data.put("pid", s.pid());
        }
        if (s.exitCode() != null) {
            data.put("exitCode", s.exitCode());
        }
        data.put("message", s.message());
        return new CommandResult(true, s.name() + ": " + s.message(), data);
    }

    private static String name(Map<String, Object> args) {
        if (!(args.get("name") instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("name must be the program's name");
        }
        return s;
    }

    private static String unit(Map<String, Object> args) {
        if (!(args.get("unit") instanceof String s)) {
            throw new IllegalArgumentException("unit must be a unit or service name");
        }
        return s;
    }

    private static int lines(Object v) {
        if (v == null) {
            return 200;
        }
        if (!(v instanceof Number n) || n.longValue() < 1 || n.longValue() > LogFiles.MAX_TAIL_LINES) {
            throw new IllegalArgumentException("lines must be between 1 and " + LogFiles.MAX_TAIL_LINES);
        }
        return n.intValue();
    }
}

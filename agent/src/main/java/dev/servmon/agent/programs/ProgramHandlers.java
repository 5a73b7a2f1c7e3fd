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
 *   <li>{@code programs.apply {programs:[spec…]}}: the whole desired set (see {@link dev.servmon.protocol.ProgramSpec});
 *   <li>{@code program.start|stop|restart {name}};
 *   <li>{@code program.tail {name, lines}}: data {@code {lines:[…]}}, oldest first;
 *   <li>{@code units.watch {units:[name…]}}: the systemd units / Windows services reported in samples;
 *   <li>{@code unit.status|start|stop|restart {unit}}: data {@code {state, pid, exitCode, message}} for status.
 * </ul>
 * A bad argument or an unknown program is a failed result whose message says what is wrong.
 */
public final class ProgramHandlers {
    private ProgramHandlers() {}

    /** Registers every handler above in {@code handlers}. */
    public static void register(CommandHandlers handlers, Supervisor supervisor) {
        handlers.register(handler("programs.apply", args -> ok(supervisor.apply(ProgramSpecs.readAll(args.get("programs"))))));
        handlers.register(handler("program.start", args -> ok(supervisor.start(name(args)))));
        handlers.register(handler("program.stop", args -> ok(supervisor.stop(name(args)))));
        handlers.register(handler("program.restart", args -> ok(supervisor.restart(name(args)))));
        handlers.register(handler("program.tail", args -> {
            String name = name(args);
            int lines = lines(args.get("lines"));
            List<String> tail = supervisor.tail(name, lines);
            return new CommandResult(true, tail.size() + " lines of " + name, Map.of("lines", tail));
        }));
        handlers.register(handler("units.watch", args -> {
            Object units = args.get("units");
            if (!(units instanceof List<?> list)) {
                throw new IllegalArgumentException("units must be a list of unit or service names");
            }
            List<String> names = new ArrayList<>(list.size());
            list.forEach(o -> names.add(String.valueOf(o)));
            supervisor.watchUnits(names);
            return ok("watching " + names.size() + " units");
        }));
        UnitWatcher units = supervisor.units();
        handlers.register(handler("unit.status", args -> {
            var s = units.status(unit(args));
            Map<String, Object> data = new java.util.LinkedHashMap<>();
            data.put("unit", s.name());
            data.put("kind", units.kind());
            data.put("state", s.state());
            data.put("pid", s.pid());
            data.put("exitCode", s.exitCode());
            data.put("message", s.message());
            data.values().removeIf(java.util.Objects::isNull);
            return new CommandResult(true, s.name() + ": " + s.message(), data);
        }));
        for (String action : List.of("start", "stop", "restart")) {
            handlers.register(handler("unit." + action, args -> ok(units.act(unit(args), action))));
        }
    }

    private interface Body {
        CommandResult run(Map<String, Object> args) throws Exception;
    }

    private static CommandHandler handler(String type, Body body) {
        return new CommandHandler() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public CommandResult handle(Map<String, Object> args) throws Exception {
                try {
                    return body.run(args == null ? Map.of() : args);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    return CommandResult.failed(e.getMessage());
                }
            }
        };
    }

    private static CommandResult ok(String message) {
        return CommandResult.ok(message);
    }

    private static String name(Map<String, Object> args) {
        Object n = args.get("name");
        if (!(n instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("name must be the program's name");
        }
        return s;
    }

    private static String unit(Map<String, Object> args) {
        Object n = args.get("unit");
        if (!(n instanceof String s)) {
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

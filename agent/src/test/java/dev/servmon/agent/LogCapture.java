package dev.servmon.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Collects what the agent logs during a test, to check what an operator would read. */
public final class LogCapture implements AutoCloseable {
    private final String logger;
    private final List<String> lines = new ArrayList<>();
    private final Consumer<Log.Event> sink;

    private LogCapture(Class<?> source) {
        this.logger = source.getSimpleName();
        this.sink = e -> {
            if (e.logger().equals(logger)) {
                synchronized (lines) {
                    lines.add(e.level() + " " + e.message());
                }
            }
        };
        Log.setLevel(Log.Level.DEBUG);
        Log.addSink(sink);
    }

    public static LogCapture of(Class<?> source) {
        return new LogCapture(source);
    }

    /** "LEVEL message" lines, formatted as the operator sees them. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        Log.removeSink(sink);
        Log.setLevel(Log.Level.INFO);
    }
}

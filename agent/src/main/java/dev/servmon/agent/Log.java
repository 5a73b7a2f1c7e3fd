package dev.servmon.agent;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The agent's logger: one structured line per event on standard error, in the hub's format
 * ({@code 2026-11-24T15:27:52.897Z level=INFO  logger=Agent thread=main msg="…"}), so
 * journald and log shippers see one shape across servmon.
 *
 * <p>The agent does not use a logging framework: SLF4J + Logback load several hundred classes,
 * about 4 MB of the agent's resident memory, for what is a handful of lines a day. Call sites
 * read like SLF4J ({@code {}} placeholders; a trailing {@link Throwable} prints its stack).
 * The level comes from {@code SERVMON_LOG_LEVEL} (debug, info, warn, error; default info).
 *
 * <p>Timestamps and padding are formatted by hand: {@code java.time.format} and
 * {@code String.format} would load about 90 classes (formatters, temporal fields, regular
 * expressions) into a process that otherwise never needs them.
 */
public final class Log {
    /** Severity, lowest first. */
    public enum Level { DEBUG, INFO, WARN, ERROR }

    /** One formatted event, as handed to {@link #addSink sinks}. */
    public record Event(Level level, String logger, String message, Throwable error) {}

    private static final long MS_PER_DAY = 86_400_000L;
    private static final int LEVEL_WIDTH = 5;
    private static final List<Consumer<Event>> SINKS = new CopyOnWriteArrayList<>();
    private static volatile Level threshold = parseLevel(System.getenv("SERVMON_LOG_LEVEL"), Level.INFO);
    private static volatile PrintStream out = System.err;

    private final String name;

    private Log(String name) {
        this.name = name;
    }

    /** A logger named after the class's simple name. */
    public static Log get(Class<?> source) {
        return new Log(source.getSimpleName());
    }

    /** Sets the lowest level written. */
    public static void setLevel(Level level) {
        threshold = level;
    }

    /** {@code name} as a level, or {@code fallback} when null, blank or unknown. */
    public static Level parseLevel(String name, Level fallback) {
        if (name == null || name.isBlank()) {
            return fallback;
        }
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "debug", "trace", "all" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn", "warning" -> Level.WARN;
            case "error", "off" -> Level.ERROR;
            default -> fallback;
        };
    }

    /** Writes lines to {@code target} from now on and returns the previous target (tests read lines this way). */
    static PrintStream swapOutput(PrintStream target) {
        PrintStream before = out;
        out = target;
        return before;
    }

    /** Also hands every event at or above the threshold to {@code sink} (tests read logs this way). */
    public static void addSink(Consumer<Event> sink) {
        SINKS.add(sink);
    }

    public static void removeSink(Consumer<Event> sink) {
        SINKS.remove(sink);
    }

    public boolean isDebugEnabled() {
        return threshold == Level.DEBUG;
    }

    public void debug(String pattern, Object... args) {
        log(Level.DEBUG, pattern, args);
    }

    public void info(String pattern, Object... args) {
        log(Level.INFO, pattern, args);
    }

    public void warn(String pattern, Object... args) {
        log(Level.WARN, pattern, args);
    }

    public void error(String pattern, Object... args) {
        log(Level.ERROR, pattern, args);
    }

    private void log(Level level, String pattern, Object[] args) {
        if (level.compareTo(threshold) < 0) {
            return;
        }
        Throwable error = args.length > 0 && args[args.length - 1] instanceof Throwable t ? t : null;
        String message = format(pattern, args, error == null ? args.length : args.length - 1);
        Event event = new Event(level, name, message, error);
        for (Consumer<Event> sink : SINKS) {
            sink.accept(event);
        }
        StringBuilder line = new StringBuilder(96 + message.length());
        appendUtc(line, System.currentTimeMillis());
        line.append(" level=").append(level.name());
        for (int i = level.name().length(); i < LEVEL_WIDTH; i++) {
            line.append(' ');
        }
        line.append(" logger=").append(name)
                .append(" thread=").append(Thread.currentThread().getName())
                .append(" msg=\"").append(message.replace("\"", "\\\"")).append('"');
        if (error != null) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
        }
        PrintStream target = out;
        synchronized (target) {
            target.println(line);
        }
    }

    /**
     * Appends {@code epochMs} as UTC in ISO 8601 with milliseconds, {@code 2026-11-24T15:27:52.897Z}
     * (years 0 to 9999). The date is the proleptic Gregorian one, from the day count by Howard
     * Hinnant's {@code civil_from_days} (https://howardhinnant.github.io/date_algorithms.html).
     */
    static void appendUtc(StringBuilder sb, long epochMs) {
        long days = Math.floorDiv(epochMs, MS_PER_DAY);
        int msOfDay = (int) Math.floorMod(epochMs, MS_PER_DAY);
        // Days since 0000-03-01, in 400-year eras of 146,097 days: March-based years put the leap day last.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long marchMonth = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * marchMonth + 2) / 5 + 1;
        long month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        pad(sb, year, 4).append('-');
        pad(sb, month, 2).append('-');
        pad(sb, day, 2).append('T');
        pad(sb, msOfDay / 3_600_000, 2).append(':');
        pad(sb, msOfDay / 60_000 % 60, 2).append(':');
        pad(sb, msOfDay / 1000 % 60, 2).append('.');
        pad(sb, msOfDay % 1000, 3).append('Z');
    }

    private static StringBuilder pad(StringBuilder sb, long value, int digits) {
        for (long limit = 10; digits > 1; digits--, limit *= 10) {
            if (value < limit) {
                sb.append('0');
            }
        }
        return sb.append(value);
    }

    /** Replaces each {@code {}} in {@code pattern} with the next of the first {@code count} args. */
    static String format(String pattern, Object[] args, int count) {
        if (count == 0) {
            return pattern;
        }
        StringBuilder sb = new StringBuilder(pattern.length() + 16 * count);
        int from = 0;
        int used = 0;
        while (used < count) {
            int at = pattern.indexOf("{}", from);
            if (at < 0) {
                break;
            }
            sb.append(pattern, from, at).append(args[used++]);
            from = at + 2;
        }
        return sb.append(pattern, from, pattern.length()).toString();
    }
}

package dev.servmon.hub.alerts;

import java.util.Locale;

/**
 * A metric condition as people write it: {@code <metric> <op> <number>}, optionally followed by
 * {@code for <duration>} (how long it must hold before the alert fires) and {@code recover
 * <number>} (hysteresis: a firing alert resolves only once the condition with this threshold no
 * longer holds). Examples: {@code cpuPercent > 90}, {@code cpuPercent > 90 for 5m recover 80},
 * {@code diskUsedPercent >= 95 for 30s}. Parsing is pure; errors name the token that is wrong.
 *
 * @param forMs how long the condition must hold, or null when the text did not say
 * @param recover the recovery threshold, or null for none (resolve as soon as the condition fails)
 */
public record Condition(String metric, Op op, double threshold, Long forMs, Double recover) {

    /** Comparison operators. */
    public enum Op {
        GT(">"), GE(">="), LT("<"), LE("<="), EQ("=="), NE("!=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public boolean test(double value, double threshold) {
            return switch (this) {
                case GT -> value > threshold;
                case GE -> value >= threshold;
                case LT -> value < threshold;
                case LE -> value <= threshold;
                case EQ -> value == threshold;
                case NE -> value != threshold;
            };
        }

        /** The operator written {@code symbol}; IllegalArgumentException for anything else. */
        public static Op of(String symbol) {
            for (Op op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("unknown operator '" + symbol + "'; use one of > >= < <= == !=");
        }
    }

    /** Longest metric name accepted (series names are at most this long too). */
    public static final int MAX_METRIC_LENGTH = 120;

    public Condition {
        if (metric == null || metric.isEmpty() || metric.length() > MAX_METRIC_LENGTH) {
            throw new IllegalArgumentException("the metric name must be 1 to " + MAX_METRIC_LENGTH + " characters");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("the threshold must be a finite number");
        }
        if (forMs != null && (forMs < 0 || forMs > Durations.MAX_MS)) {
            throw new IllegalArgumentException("'for' must be between 0 s and 30 days");
        }
        if (recover != null && !Double.isFinite(recover)) {
            throw new IllegalArgumentException("the recovery threshold must be a finite number");
        }
        if (recover != null && (op == Op.EQ || op == Op.NE)) {
            throw new IllegalArgumentException("a recovery threshold needs one of > >= < <=, not " + op.symbol);
        }
        if (recover != null && ((op == Op.GT || op == Op.GE) && recover > threshold
                || (op == Op.LT || op == Op.LE) && recover < threshold)) {
            throw new IllegalArgumentException("the recovery threshold " + fmt(recover) + " must lie on the healthy side of "
                    + op.symbol + " " + fmt(threshold));
        }
    }

    /**
     * Parses {@code text}; IllegalArgumentException with a sentence naming the wrong part.
     */
    public static Condition parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the condition is empty; write e.g. 'cpuPercent > 90'");
        }
        String[] t = text.strip().split("\\s+");
        if (t.length < 3) {
            throw new IllegalArgumentException("the condition '" + text.strip() + "' needs <metric> <operator> <number>, e.g. 'cpuPercent > 90'");
        }
        String metric = t[0];
        for (int i = 0; i < metric.length(); i++) {
            char c = metric.charAt(i);
            if (Character.isISOControl(c) || "<>=!".indexOf(c) >= 0) {
                throw new IllegalArgumentException("the metric name '" + metric + "' contains '" + c + "'; put spaces around the operator");
            }
        }
        Op op = Op.of(t[1]);
        double threshold = number(t[2], "threshold");
        Long forMs = null;
        Double recover = null;
        int i = 3;
        while (i < t.length) {
            String word = t[i].toLowerCase(Locale.ROOT);
            if (i + 1 >= t.length) {
                throw new IllegalArgumentException("'" + t[i] + "' at the end of the condition needs a value after it");
            }
            switch (word) {
                case "for" -> forMs = Durations.parseMs(t[i + 1]);
                case "recover" -> recover = number(t[i + 1], "recovery threshold");
                default -> throw new IllegalArgumentException("unexpected '" + t[i] + "' in the condition; after the number only "
                        + "'for <duration>' and 'recover <number>' may follow");
            }
            i += 2;
        }
        return new Condition(metric, op, threshold, forMs, recover);
    }

    /** Whether the condition holds for {@code value}. */
    public boolean holds(double value) {
        return op.test(value, threshold);
    }

    /**
     * Whether a firing alert with this condition recovers at {@code value}: the condition no longer
     * holds, and with a recovery threshold, not even against it ({@code > 90 recover 80} resolves
     * at 80 or below).
     */
    public boolean recovered(double value) {
        return recover == null ? !holds(value) : !op.test(value, recover);
    }

    /** The condition as text, in the form {@link #parse} reads. */
    public String text() {
        StringBuilder b = new StringBuilder(metric).append(' ').append(op.symbol).append(' ').append(fmt(threshold));
        if (forMs != null && forMs > 0) {
            b.append(" for ").append(Durations.format(forMs));
        }
        if (recover != null) {
            b.append(" recover ").append(fmt(recover));
        }
        return b.toString();
    }

    private static double number(String s, String what) {
        try {
            double v = Double.parseDouble(s);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("the " + what + " '" + s + "' is not a number");
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}

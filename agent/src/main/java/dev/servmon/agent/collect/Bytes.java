package dev.servmon.agent.collect;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * Parsing of ASCII numbers and fields straight from bytes, for the per-process files read by
 * the hundred: no {@code String}, no {@code split}, no regex.
 */
final class Bytes {
    private Bytes() {}

    /**
     * The integer in {@code b[from..to)}, surrounded by optional whitespace, with an optional
     * minus sign.
     *
     * @throws NumberFormatException when there is no number or anything else is there
     */
    static long parseLong(byte[] b, int from, int to) {
        int i = skipSpace(b, from, to);
        int end = to;
        while (end > i && isSpace(b[end - 1])) {
            end--;
        }
        boolean negative = i < end && b[i] == '-';
        if (negative) {
            i++;
        }
        if (i >= end) {
            throw new NumberFormatException("no number in '" + new String(b, from, to - from, US_ASCII) + "'");
        }
        long value = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException("not a number: '" + new String(b, from, to - from, US_ASCII) + "'");
            }
            value = value * 10 + d;
        }
        return negative ? -value : value;
    }

    /**
     * The unsigned decimal number starting at {@code at} (after optional spaces), ending at the
     * first non-digit; {@code -1} when there is no digit there or {@code at} is negative (a
     * field {@link #field} did not find).
     */
    static long digitsAt(byte[] b, int at, int to) {
        if (at < 0) {
            return -1;
        }
        int i = skipSpace(b, at, to);
        if (i >= to || b[i] < '0' || b[i] > '9') {
            return -1;
        }
        long value = 0;
        for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
            value = value * 10 + (b[i] - '0');
        }
        return value;
    }

    /** The index where the space-separated field {@code n} (0-based) starts at or after {@code from}, or -1. */
    static int field(byte[] b, int from, int to, int n) {
        int i = skipSpace(b, from, to);
        for (int f = 0; f < n; f++) {
            while (i < to && !isSpace(b[i])) {
                i++;
            }
            i = skipSpace(b, i, to);
        }
        return i < to ? i : -1;
    }

    /** The index just after the line that starts with {@code key} (e.g. {@code "Uid:"}), pointing at its value; -1 if none. */
    static int valueOfLine(byte[] b, int to, byte[] key) {
        int line = 0;
        while (line < to) {
            if (startsWith(b, line, to, key)) {
                return line + key.length;
            }
            while (line < to && b[line] != '\n') {
                line++;
            }
            line++;
        }
        return -1;
    }

    static int lastIndexOf(byte[] b, int to, byte c) {
        for (int i = to - 1; i >= 0; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int at, int to, byte[] prefix) {
        if (at + prefix.length > to) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpace(byte[] b, int i, int to) {
        while (i < to && isSpace(b[i])) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}

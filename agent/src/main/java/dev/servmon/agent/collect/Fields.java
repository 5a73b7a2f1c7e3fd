package dev.servmon.agent.collect;

/**
 * Splits a line of {@code /proc} text into its whitespace-separated fields: what
 * {@code line.trim().split("\\s+")} does, without compiling a regular expression at every call
 * of a parser that runs every sample.
 */
final class Fields {
    private Fields() {}

    /** The fields of {@code text}; empty for a blank text. */
    static String[] split(String text) {
        int count = 0;
        int n = text.length();
        for (int i = 0; i < n; ) {
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            if (i < n) {
                count++;
            }
            while (i < n && !isSpace(text.charAt(i))) {
                i++;
            }
        }
        String[] fields = new String[count];
        int f = 0;
        for (int i = 0; i < n; ) {
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                fields[f++] = text.substring(start, i);
            }
        }
        return fields;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}

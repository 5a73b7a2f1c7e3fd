package dev.servmon.agent.collect;

/** Parser of Linux {@code /proc/uptime}. */
public final class ProcUptime {
    private ProcUptime() {}

    /**
     * Whole seconds since boot from the text of {@code /proc/uptime}, e.g. {@code 8468.73 16818.65}
     * (the second figure, idle time summed over cores, is not used).
     *
     * @throws IllegalArgumentException when the first field is not a non-negative number
     */
    public static long parseSeconds(String text) {
        return (long) parse(text);
    }

    /**
     * Milliseconds since boot from the text of {@code /proc/uptime} (it has hundredths of seconds).
     *
     * @throws IllegalArgumentException when the first field is not a non-negative number
     */
    public static long parseMillis(String text) {
        return Math.round(parse(text) * 1000);
    }

    private static double parse(String text) {
        String[] f = Fields.split(text);
        String first = f.length == 0 ? "" : f[0];
        try {
            double seconds = Double.parseDouble(first);
            if (!(seconds >= 0)) {
                throw new IllegalArgumentException("negative uptime in /proc/uptime text: " + text.trim());
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed /proc/uptime text: " + text.trim(), e);
        }
    }
}

package dev.servmon.agent.collect;

/**
 * Load averages from Linux {@code /proc/loadavg}.
 *
 * @param load1 1-minute load average
 * @param load5 5-minute load average
 * @param load15 15-minute load average
 */
public record LoadAvg(double load1, double load5, double load15) {

    /**
     * Parses the text of {@code /proc/loadavg}, e.g. {@code 0.21 0.37 0.39 1/719 19737}.
     *
     * @throws IllegalArgumentException when the first three fields are not numbers
     */
    public static LoadAvg parse(String text) {
        String[] f = Fields.split(text);
        if (f.length < 3) {
            throw new IllegalArgumentException("expected three load averages in /proc/loadavg text: " + text.trim());
        }
        try {
            return new LoadAvg(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed /proc/loadavg text: " + text.trim(), e);
        }
    }
}

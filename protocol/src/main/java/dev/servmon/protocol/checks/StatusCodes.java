package dev.servmon.protocol.checks;

import java.util.ArrayList;
import java.util.List;

/**
 * Accepted HTTP status codes: {@code 200-399}, {@code 200,204}, {@code 200-299,301}. Parsed
 * once when the check is saved (hub) and again (cheaply) when it runs (hub or agent).
 */
public record StatusCodes(List<int[]> ranges, String text) {
    public static final String DEFAULT = "200-399";

    /** Throws IllegalArgumentException saying what a valid value looks like. */
    public static StatusCodes parse(String raw) {
        String text = raw == null || raw.isBlank() ? DEFAULT : raw.strip();
        List<int[]> ranges = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            int dash = p.indexOf('-');
            int lo = code(dash < 0 ? p : p.substring(0, dash), text);
            int hi = dash < 0 ? lo : code(p.substring(dash + 1), text);
            if (hi < lo) {
                throw new IllegalArgumentException("expectedStatus range " + p + " goes backwards; write it low-high");
            }
            ranges.add(new int[] {lo, hi});
        }
        if (ranges.size() > 20) {
            throw new IllegalArgumentException("expectedStatus may list at most 20 codes or ranges");
        }
        return new StatusCodes(List.copyOf(ranges), text);
    }

    private static int code(String s, String whole) {
        try {
            int c = Integer.parseInt(s.strip());
            if (c >= 100 && c <= 599) {
                return c;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("expectedStatus must be codes or ranges of 100 to 599 like 200-399 or 200,301, got '"
                + (whole.length() > 40 ? whole.substring(0, 40) + "…" : whole) + "'");
    }

    public boolean accepts(int status) {
        for (int[] r : ranges) {
            if (status >= r[0] && status <= r[1]) {
                return true;
            }
        }
        return false;
    }
}

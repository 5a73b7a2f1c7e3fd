package dev.servmon.hub.web;

import java.util.Locale;

/** Reading the request headers that choose a representation: Accept-Encoding and If-None-Match (RFC 9110). */
final class HttpNegotiation {
    private HttpNegotiation() {}

    /** True when the header lists gzip (or {@code *}) with a weight above 0. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String item : acceptEncoding.split(",")) {
            String[] parts = item.split(";");
            String coding = parts[0].strip().toLowerCase(Locale.ROOT);
            if ((coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("*")) && weight(parts) > 0) {
                return true;
            }
        }
        return false;
    }

    private static double weight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    return Double.parseDouble(p.substring(2));
                } catch (NumberFormatException e) {
                    return 0; // a malformed weight does not count as acceptance
                }
            }
        }
        return 1;
    }

    /**
     * True when If-None-Match is {@code *} or lists one of the tags; weak comparison (a {@code W/}
     * prefix is ignored), as RFC 9110 prescribes for If-None-Match.
     *
     * @param tags the current tags of the resource (null entries are skipped)
     */
    static boolean matchesAny(String ifNoneMatch, String... tags) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String item : ifNoneMatch.split(",")) {
            String tag = item.strip();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            for (String t : tags) {
                if (tag.equals(t)) {
                    return true;
                }
            }
        }
        return false;
    }
}

package dev.servmon.protocol.checks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The pure judgments of check probes, shared so a check gives the same verdict and message
 * whether the hub or an agent runs it. Inputs are what the probe measured plus the check's
 * settings; nothing here does I/O (address comparison parses literals only, never looks up).
 */
public final class Verdicts {
    private Verdicts() {}

    /**
     * HTTP: status in {@code expected}, then the keyword present (or absent with
     * {@code keywordAbsent}), then the certificate at least {@code certMinDays} from expiry.
     *
     * @param keyword null for no keyword test
     * @param certDays days until the certificate expires, null without TLS
     * @param certMinDays null for no minimum
     */
    public static Verdict http(StatusCodes expected, String keyword, boolean keywordAbsent, Integer certMinDays,
                               int status, String body, Integer certDays) {
        String statusText = "status " + status;
        if (!expected.accepts(status)) {
            return new Verdict(false, statusText + ", expected " + expected.text());
        }
        if (keyword != null && keywordAbsent && body.contains(keyword)) {
            return new Verdict(false, statusText + ", but the body contains '" + keyword + "'");
        }
        if (keyword != null && !keywordAbsent && !body.contains(keyword)) {
            return new Verdict(false, statusText + ", but '" + keyword + "' is not in the body");
        }
        if (certDays != null && certMinDays != null && certDays < certMinDays) {
            return new Verdict(false, statusText + ", but the certificate expires in " + certDays + " days (minimum " + certMinDays + ")");
        }
        return new Verdict(true, statusText + (certDays == null ? "" : ", certificate expires in " + certDays + " days"));
    }

    /**
     * Directory: {@code count} files within {@code minCount}..{@code maxCount} and the newest
     * (modified at {@code newestMs}, null without files) at most {@code maxAgeSeconds} old.
     * Null bounds are not checked.
     */
    public static Verdict directory(long count, Long newestMs, long nowMs, Long minCount, Long maxCount, Long maxAgeSeconds) {
        String files = count + (count == 1 ? " file" : " files");
        Long ageSeconds = newestMs == null ? null : Math.max(0, (nowMs - newestMs) / 1000);
        String text = files + (ageSeconds == null ? "" : ", newest " + Durations.text(ageSeconds) + " old");
        if (minCount != null && count < minCount) {
            return new Verdict(false, text + "; at least " + minCount + " expected");
        }
        if (maxCount != null && count > maxCount) {
            return new Verdict(false, text + "; at most " + maxCount + " expected");
        }
        if (maxAgeSeconds != null && ageSeconds == null) {
            return new Verdict(false, "no files, so none newer than " + Durations.text(maxAgeSeconds));
        }
        if (maxAgeSeconds != null && ageSeconds > maxAgeSeconds) {
            return new Verdict(false, text + "; the newest should be at most " + Durations.text(maxAgeSeconds) + " old");
        }
        return new Verdict(true, text);
    }

    /** DNS: at least one answer and, if {@code expected} is set, it is among them. */
    public static Verdict dns(List<String> answers, String expected, String type) {
        if (answers.isEmpty()) {
            return new Verdict(false, "no " + type + " records");
        }
        String list = String.join(", ", answers);
        if (expected != null && answers.stream().noneMatch(a -> sameAnswer(a, expected, type))) {
            return new Verdict(false, "expected " + expected + ", got " + list);
        }
        return new Verdict(true, list);
    }

    /** Addresses compare as addresses (::1 = 0:0:0:0:0:0:0:1), names without case or final dot. */
    public static boolean sameAnswer(String answer, String expected, String type) {
        if (type.equals("A") || type.equals("AAAA")) {
            if (isAddressLiteral(answer) && isAddressLiteral(expected)) {
                try {
                    return Arrays.equals(InetAddress.getByName(answer).getAddress(), InetAddress.getByName(expected).getAddress());
                } catch (UnknownHostException e) {
                    return answer.equalsIgnoreCase(expected);
                }
            }
            return answer.equalsIgnoreCase(expected);
        }
        if (type.equals("MX")) {
            String a = trimDot(answer).toLowerCase(Locale.ROOT);
            String e = trimDot(expected.strip()).toLowerCase(Locale.ROOT);
            // "10 mail.example.com" or just "mail.example.com"
            return a.equals(e) || a.substring(a.indexOf(' ') + 1).equals(e);
        }
        return answer.equals(expected);
    }

    /** A DNS name without its final dot. */
    public static String trimDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /**
     * An IPv4 literal (digits and dots) or an IPv6 one (hex digits, colons, dots, with a colon):
     * then {@link InetAddress#getByName} parses it and does not look a name up.
     */
    private static boolean isAddressLiteral(String text) {
        boolean colon = text.indexOf(':') >= 0;
        boolean dot = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            dot |= c == '.';
            boolean digit = c >= '0' && c <= '9';
            boolean hex = c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!(digit || c == '.' || c == ':' || colon && hex)) {
                return false;
            }
        }
        return colon || dot;
    }
}

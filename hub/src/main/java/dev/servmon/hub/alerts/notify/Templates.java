package dev.servmon.hub.alerts.notify;

import java.util.Locale;
import java.util.Map;

/**
 * Title and body of a notification from a template with {@code {{variable}}} placeholders:
 * {@code host}, {@code metric}, {@code value}, {@code threshold}, {@code state}, {@code event},
 * {@code rule}, {@code severity}, {@code subject}, {@code link}, {@code summary}. Unknown
 * placeholders are left as written, so a typo shows in the message instead of vanishing.
 */
public final class Templates {
    private Templates() {}

    public static final String DEFAULT_TITLE = "[{{state}}] {{rule}} on {{host}}";
    public static final String DEFAULT_BODY = "{{summary}}\n{{link}}";
    /** Longest template accepted. */
    public static final int MAX_LENGTH = 4_000;

    public static String title(String template, Notification n) {
        return render(template == null || template.isBlank() ? DEFAULT_TITLE : template, n);
    }

    public static String body(String template, Notification n) {
        return render(template == null || template.isBlank() ? DEFAULT_BODY : template, n);
    }

    public static String render(String template, Notification n) {
        Map<String, String> vars = Map.ofEntries(
                Map.entry("host", n.hostName() == null ? "-" : n.hostName()),
                Map.entry("metric", n.metric() == null ? "" : n.metric()),
                Map.entry("value", number(n.value())),
                Map.entry("threshold", number(n.threshold())),
                Map.entry("state", n.state().toUpperCase(Locale.ROOT)),
                Map.entry("event", n.event()),
                Map.entry("rule", n.ruleName()),
                Map.entry("severity", n.severity() == null ? "" : n.severity()),
                Map.entry("subject", n.subject() == null ? "" : n.subject()),
                Map.entry("link", n.link() == null ? "" : n.link()),
                Map.entry("summary", n.summary() == null ? "" : n.summary()));
        StringBuilder out = new StringBuilder(template.length() + 64);
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf("{{", i);
            int close = open < 0 ? -1 : template.indexOf("}}", open + 2);
            if (open < 0 || close < 0) {
                out.append(template, i, template.length());
                break;
            }
            String name = template.substring(open + 2, close).strip();
            String value = vars.get(name);
            out.append(template, i, open).append(value != null ? value : template.substring(open, close + 2));
            i = close + 2;
        }
        return out.toString();
    }

    /** A number as people read it: at most two decimals, no trailing zeros. */
    public static String number(Double v) {
        if (v == null) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString(v.longValue());
        }
        return new java.math.BigDecimal(v).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}

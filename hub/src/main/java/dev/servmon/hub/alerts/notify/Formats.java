package dev.servmon.hub.alerts.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * How each kind of channel wants a {@link Notification} written. Pure: the same notification
 * always gives the same bytes, which are stored in the outbox and re-sent unchanged on retries.
 * The formats are documented with examples in docs/alerts.md.
 */
public final class Formats {
    /** Version of the generic webhook body. */
    public static final String WEBHOOK_VERSION = "1";
    /** Alertmanager writes this for "not resolved yet". */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    /** Discord refuses content longer than this. */
    static final int DISCORD_MAX = 2_000;
    /** Slack truncates text past this. */
    static final int SLACK_MAX = 40_000;

    private final ObjectMapper json;

    public Formats(ObjectMapper json) {
        this.json = json;
    }

    /** The servmon webhook body. */
    public String webhook(Notifier n, Notification a) {
        ObjectNode o = json.createObjectNode();
        o.put("version", WEBHOOK_VERSION);
        o.put("event", a.event());
        o.put("alertId", a.alertId());
        o.put("state", a.state());
        ObjectNode rule = o.putObject("rule");
        rule.put("id", a.ruleId());
        rule.put("name", a.ruleName());
        rule.put("kind", a.ruleKind());
        rule.put("severity", a.severity());
        if (a.hostId() == null) {
            o.putNull("host");
        } else {
            ObjectNode host = o.putObject("host");
            host.put("id", a.hostId());
            host.put("name", a.hostName());
        }
        o.put("subject", a.subject());
        o.put("metric", a.metric());
        o.put("value", a.value());
        o.put("threshold", a.threshold());
        o.put("startsAt", iso(a.startsAtMs()));
        o.put("endsAt", a.endsAtMs() == null ? null : iso(a.endsAtMs()));
        o.put("link", a.link());
        o.put("title", Templates.title(n.titleTemplate(), a));
        o.put("summary", Templates.body(n.bodyTemplate(), a));
        var held = o.putArray("held");
        a.held().forEach(held::add);
        return write(o);
    }

    /** A Slack incoming-webhook message. */
    public String slack(Notifier n, Notification a) {
        ObjectNode o = json.createObjectNode();
        o.put("text", cut(text(n, a), SLACK_MAX));
        return write(o);
    }

    /** A Discord webhook message. */
    public String discord(Notifier n, Notification a) {
        ObjectNode o = json.createObjectNode();
        o.put("content", cut(text(n, a), DISCORD_MAX));
        o.putObject("allowed_mentions").putArray("parse");
        return write(o);
    }

    /** The body Prometheus Alertmanager sends to its webhook receivers (version 4), with this one alert. */
    public String alertmanager(Notifier n, Notification a) {
        boolean resolved = "resolved".equals(a.state());
        String status = resolved ? "resolved" : "firing";
        ObjectNode o = json.createObjectNode();
        o.put("version", "4");
        o.put("groupKey", "{}:{alertname=\"" + a.ruleName().replace("\"", "\\\"") + "\"}");
        o.put("truncatedAlerts", 0);
        o.put("status", status);
        o.put("receiver", n.name());
        o.putObject("groupLabels").put("alertname", a.ruleName());
        ObjectNode labels = labels(a);
        o.set("commonLabels", labels.deepCopy());
        ObjectNode annotations = json.createObjectNode();
        annotations.put("summary", Templates.title(n.titleTemplate(), a));
        annotations.put("description", Templates.body(n.bodyTemplate(), a));
        o.set("commonAnnotations", annotations.deepCopy());
        o.put("externalURL", base(a.link()));
        ObjectNode alert = o.putArray("alerts").addObject();
        alert.put("status", status);
        alert.set("labels", labels);
        alert.set("annotations", annotations);
        alert.put("startsAt", iso(a.startsAtMs()));
        alert.put("endsAt", a.endsAtMs() == null ? ZERO_TIME : iso(a.endsAtMs()));
        alert.put("generatorURL", a.link());
        alert.put("fingerprint", fingerprint(a));
        return write(o);
    }

    /** An e-mail: subject and plain-text body. */
    public Mail email(Notifier n, Notification a) {
        return new Mail(Templates.title(n.titleTemplate(), a), Templates.body(n.bodyTemplate(), a));
    }

    /** An e-mail's subject and text. */
    public record Mail(String subject, String text) {}

    private ObjectNode labels(Notification a) {
        ObjectNode l = json.createObjectNode();
        l.put("alertname", a.ruleName());
        if (a.hostName() != null) {
            l.put("host", a.hostName());
        }
        if (a.subject() != null && !a.subject().isEmpty()) {
            l.put("subject", a.subject());
        }
        if (a.metric() != null) {
            l.put("metric", a.metric());
        }
        if (a.severity() != null) {
            l.put("severity", a.severity());
        }
        l.put("rule_id", Long.toString(a.ruleId()));
        return l;
    }

    private static String text(Notifier n, Notification a) {
        return Templates.title(n.titleTemplate(), a) + "\n" + Templates.body(n.bodyTemplate(), a);
    }

    /** Stable per rule, host and subject, like Alertmanager's fingerprint of the label set. */
    static String fingerprint(Notification a) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((a.ruleId() + "\u0000" + a.hostId() + "\u0000" + a.subject())
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String base(String link) {
        if (link == null) {
            return "";
        }
        int scheme = link.indexOf("://");
        int slash = scheme < 0 ? -1 : link.indexOf('/', scheme + 3);
        return slash < 0 ? link : link.substring(0, slash);
    }

    static String iso(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private String write(ObjectNode o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notification could not be written as JSON", e);
        }
    }
}

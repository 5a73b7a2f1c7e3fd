package dev.servmon.hub.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks and normalises a notifier's settings per type, and hides its secrets from readers.
 *
 * <ul>
 *   <li>webhook: {@code urls} (1–10 http(s) URLs; {@code url} for one), optional {@code secret} (HMAC key)</li>
 *   <li>slack, discord: {@code url}, the incoming-webhook URL (a secret)</li>
 *   <li>alertmanager: {@code urls}, optional {@code username} and {@code password} (basic auth)</li>
 *   <li>email: {@code host}, {@code port} (587), {@code starttls} (true), {@code username},
 *       {@code password}, {@code from}, {@code to} (1–20 addresses), optional {@code tlsTrust}: a
 *       host name whose certificate is trusted without verification (self-signed relays)</li>
 * </ul>
 */
public final class NotifierConfig {
    private NotifierConfig() {}

    public static final int MAX_URLS = 10;
    public static final int MAX_RECIPIENTS = 20;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * The settings to store: {@code given} checked for {@code type}, with secrets it leaves out
     * taken from {@code previous} (an update that does not repeat the password keeps it).
     * IllegalArgumentException names the field that is wrong.
     */
    public static ObjectNode validate(NotifierType type, JsonNode given, ObjectNode previous) {
        if (given != null && !given.isNull() && !given.isObject()) {
            throw new IllegalArgumentException("config must be a JSON object");
        }
        ObjectNode in = given == null || given.isNull() ? NODES.objectNode() : ((ObjectNode) given).deepCopy();
        if (previous != null) {
            for (String secret : type.secrets()) {
                if (!in.hasNonNull(secret) && previous.hasNonNull(secret)) {
                    in.set(secret, previous.get(secret));
                }
            }
        }
        ObjectNode out = NODES.objectNode();
        switch (type) {
            case WEBHOOK -> {
                out.set("urls", urls(in));
                optional(in, out, "secret", 200);
            }
            case SLACK, DISCORD -> out.put("url", url(text(in, "url", 2_000, true), "url"));
            case ALERTMANAGER -> {
                out.set("urls", urls(in));
                optional(in, out, "username", 200);
                optional(in, out, "password", 200);
            }
            case EMAIL -> {
                out.put("host", text(in, "host", 253, true));
                int port = in.path("port").asInt(587);
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("config.port must be between 1 and 65535, got " + in.path("port").asText());
                }
                out.put("port", port);
                out.put("starttls", !in.has("starttls") || in.get("starttls").asBoolean(true));
                optional(in, out, "username", 200);
                optional(in, out, "password", 200);
                out.put("from", address(text(in, "from", 254, true), "from"));
                ArrayNode to = out.putArray("to");
                for (String a : list(in, "to", MAX_RECIPIENTS)) {
                    to.add(address(a, "to"));
                }
                optional(in, out, "tlsTrust", 253);
            }
            default -> throw new IllegalStateException("unhandled notifier type " + type);
        }
        return out;
    }

    /** The settings without secrets, for readers. */
    public static ObjectNode redacted(NotifierType type, ObjectNode config) {
        ObjectNode copy = config.deepCopy();
        ArrayNode set = NODES.arrayNode();
        for (String secret : type.secrets()) {
            if (copy.remove(secret) != null) {
                set.add(secret);
            }
        }
        copy.set("secretsSet", set);
        return copy;
    }

    /** Where messages go: the URLs, or the recipients joined by commas for e-mail. */
    public static List<String> targets(NotifierType type, ObjectNode config) {
        return switch (type) {
            case WEBHOOK, ALERTMANAGER -> {
                List<String> urls = new ArrayList<>();
                config.path("urls").forEach(u -> urls.add(u.asText()));
                yield urls;
            }
            case SLACK, DISCORD -> List.of(config.path("url").asText());
            case EMAIL -> {
                List<String> to = new ArrayList<>();
                config.path("to").forEach(a -> to.add(a.asText()));
                yield List.of(String.join(",", to));
            }
        };
    }

    private static ArrayNode urls(ObjectNode in) {
        List<String> given = in.has("urls") ? list(in, "urls", MAX_URLS) : List.of(text(in, "url", 2_000, true));
        ArrayNode out = NODES.arrayNode();
        for (String u : given) {
            out.add(url(u, "urls"));
        }
        return out;
    }

    private static List<String> list(ObjectNode in, String field, int max) {
        JsonNode node = in.get(field);
        List<String> out = new ArrayList<>();
        if (node != null && node.isTextual()) {
            for (String part : node.asText().split("[,\\s]+")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(v -> {
                if (!v.asText().isBlank()) {
                    out.add(v.asText().strip());
                }
            });
        }
        if (out.isEmpty() || out.size() > max) {
            throw new IllegalArgumentException("config." + field + " needs 1 to " + max + " entries, got " + out.size());
        }
        return out;
    }

    private static String text(ObjectNode in, String field, int max, boolean required) {
        JsonNode v = in.get(field);
        String s = v == null || v.isNull() ? "" : v.asText().strip();
        if (required && s.isEmpty()) {
            throw new IllegalArgumentException("config." + field + " is required");
        }
        if (s.length() > max) {
            throw new IllegalArgumentException("config." + field + " is longer than " + max + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new IllegalArgumentException("config." + field + " must not contain control characters");
            }
        }
        return s;
    }

    private static void optional(ObjectNode in, ObjectNode out, String field, int max) {
        String s = text(in, field, max, false);
        if (!s.isEmpty()) {
            out.put(field, s);
        }
    }

    static String url(String s, String field) {
        try {
            URI u = new URI(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && s.length() <= 2_000) {
                return s;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("config." + field + ": '" + (s.length() > 80 ? s.substring(0, 80) + "…" : s)
                + "' is not an http:// or https:// URL");
    }

    private static String address(String s, String field) {
        int at = s.indexOf('@');
        if (at <= 0 || at != s.lastIndexOf('@') || at == s.length() - 1 || s.contains(" ") || s.length() > 254) {
            throw new IllegalArgumentException("config." + field + ": '" + s + "' is not an e-mail address");
        }
        return s;
    }
}

package dev.servmon.hub.alerts.notify;

import java.util.List;
import java.util.Locale;

/**
 * The kinds of channel, and which of their settings are secrets (accepted on write, never shown:
 * a Slack or Discord webhook URL is itself the credential).
 */
public enum NotifierType {
    WEBHOOK(List.of("secret")),
    SLACK(List.of("url")),
    DISCORD(List.of("url")),
    EMAIL(List.of("password")),
    ALERTMANAGER(List.of("password"));

    private final List<String> secrets;

    NotifierType(List<String> secrets) {
        this.secrets = secrets;
    }

    public List<String> secrets() {
        return secrets;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NotifierType of(String label) {
        if (label != null) {
            for (NotifierType t : values()) {
                if (t.label().equals(label)) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("unknown notifier type '" + label + "'; use webhook, slack, discord, email or alertmanager");
    }
}

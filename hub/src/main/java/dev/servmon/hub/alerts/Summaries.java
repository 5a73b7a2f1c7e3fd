package dev.servmon.hub.alerts;

import dev.servmon.hub.alerts.notify.Templates;
import java.util.List;

/** The one sentence a notification leads with, per rule kind. Pure. */
final class Summaries {
    private Summaries() {}

    static String of(AlertRule rule, Episode e, boolean resolved, List<String> held) {
        String host = e.hostName == null ? "" : e.hostName;
        if (resolved && !rule.enabled()) {
            return rule.name() + (host.isEmpty() ? "" : " on " + host) + " is resolved: the rule was disabled or deleted";
        }
        String s = switch (rule.kind()) {
            case METRIC -> resolved
                    ? rule.condition().metric() + " is back to " + Templates.number(e.value) + " on " + host
                    : rule.condition().metric() + " is " + Templates.number(e.value) + " on " + host + " (" + rule.condition().text() + ")";
            case HOST_OFF -> resolved ? host + " reports again"
                    : host + " has not reported for " + Templates.number(e.value) + " s";
            case DISK_FULL -> resolved ? "disk trend on " + host + " is no longer heading for full"
                    : (e.detail == null ? "a filesystem" : e.detail) + " on " + host + " is predicted full in "
                    + Templates.number(e.value) + " h";
            default -> rule.name() + (e.subject.isEmpty() ? "" : ": " + e.subject) + (host.isEmpty() ? "" : " on " + host)
                    + (resolved ? " is fine again" : e.detail == null ? "" : " — " + e.detail);
        };
        if (!held.isEmpty()) {
            s += "; " + held.size() + (held.size() == 1 ? " host that depends on it is" : " hosts that depend on it are")
                    + " down too and held: " + String.join(", ", held);
        }
        return s;
    }
}

package dev.servmon.hub.checks;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One run of a check (or one push): UP or DOWN at a time, with what was measured.
 *
 * @param responseMs how long the probe took to get its answer (HTTP, TCP, DNS, ping, database)
 * @param value the number the check measured: HTTP status, DNS answer count, database first
 *     column, file count, the pushed value
 * @param certDaysLeft HTTPS: whole days until the server certificate expires (negative: expired)
 * @param method how it was measured where there is a choice: ping {@code icmp}, {@code icmp-command}
 *     or {@code tcp-echo}; DNS {@code system} or {@code udp}; {@code push} for pushes
 * @param message a short sentence for people, e.g. {@code 200 OK} or {@code connection refused}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResult(long checkId, long atMs, boolean up, Double responseMs, Double value, Integer certDaysLeft,
                          String method, String message) {

    /** Messages are cut to this length: they are shown in tables, not logs. */
    public static final int MAX_MESSAGE = 300;

    /** The result of {@code outcome} for a check at a time. */
    public static CheckResult of(long checkId, long atMs, Outcome o) {
        return new CheckResult(checkId, atMs, o.up(), o.responseMs(), o.value(), o.certDaysLeft(), o.method(), cut(o.message()));
    }

    static String cut(String message) {
        if (message == null) {
            return null;
        }
        String oneLine = message.replaceAll("[\\r\\n\\t]+", " ").strip();
        return oneLine.length() > MAX_MESSAGE ? oneLine.substring(0, MAX_MESSAGE - 1) + "…" : oneLine;
    }
}

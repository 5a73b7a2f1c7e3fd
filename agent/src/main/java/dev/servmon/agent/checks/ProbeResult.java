package dev.servmon.agent.checks;

import dev.servmon.protocol.checks.Verdict;
import java.util.HashMap;
import java.util.Map;

/**
 * What one run of a check found, sent to the hub as the command result's data; the fields mean
 * what they mean in the hub's {@code CheckResult} (docs/checks.md).
 *
 * @param responseMs time to the answer, null when there was none
 * @param value the measured number: HTTP status, answer count, file count, the command's number
 * @param certDaysLeft HTTPS only: days until the server certificate expires
 * @param method how it was measured where there is a choice (ping, DNS)
 */
record ProbeResult(boolean up, Double responseMs, Double value, Integer certDaysLeft, String method, String message) {
    /** Longer messages are cut: they are shown in tables. */
    static final int MAX_MESSAGE = 300;

    static ProbeResult up(Double responseMs, String message) {
        return new ProbeResult(true, responseMs, null, null, null, message);
    }

    static ProbeResult down(Double responseMs, String message) {
        return new ProbeResult(false, responseMs, null, null, null, message);
    }

    static ProbeResult of(Verdict v, Double responseMs) {
        return new ProbeResult(v.up(), responseMs, null, null, null, v.message());
    }

    ProbeResult withValue(Double v) {
        return new ProbeResult(up, responseMs, v, certDaysLeft, method, message);
    }

    ProbeResult withMethod(String m) {
        return new ProbeResult(up, responseMs, value, certDaysLeft, m, message);
    }

    ProbeResult withCertDaysLeft(Integer days) {
        return new ProbeResult(up, responseMs, value, days, method, message);
    }

    /** The command result's data: {@code {up, responseMs, value, certDaysLeft, method, message}}, nulls left out. */
    Map<String, Object> data() {
        Map<String, Object> d = new HashMap<>(8);
        d.put("up", up);
        putIfSet(d, "responseMs", responseMs);
        putIfSet(d, "value", value);
        putIfSet(d, "certDaysLeft", certDaysLeft);
        putIfSet(d, "method", method);
        putIfSet(d, "message", cut(message));
        return d;
    }

    private static void putIfSet(Map<String, Object> d, String key, Object v) {
        if (v != null) {
            d.put(key, v);
        }
    }

    static String cut(String s) {
        return s == null || s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 1) + "…";
    }

}

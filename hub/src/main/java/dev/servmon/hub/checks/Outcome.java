package dev.servmon.hub.checks;

/** What a probe found, before it is tied to a check and a time ({@link CheckResult#of}). */
public record Outcome(boolean up, Double responseMs, Double value, Integer certDaysLeft, String method, String message) {

    public static Outcome up(Double responseMs, Double value, String message) {
        return new Outcome(true, responseMs, value, null, null, message);
    }

    public static Outcome down(Double responseMs, String message) {
        return new Outcome(false, responseMs, null, null, null, message);
    }

    /** A verdict with its response time. */
    public static Outcome of(dev.servmon.protocol.checks.Verdict v, Double responseMs) {
        return new Outcome(v.up(), responseMs, null, null, null, v.message());
    }

    public Outcome withMethod(String m) {
        return new Outcome(up, responseMs, value, certDaysLeft, m, message);
    }

    public Outcome withValue(Double v) {
        return new Outcome(up, responseMs, v, certDaysLeft, method, message);
    }

    public Outcome withCertDaysLeft(Integer days) {
        return new Outcome(up, responseMs, value, days, method, message);
    }
}

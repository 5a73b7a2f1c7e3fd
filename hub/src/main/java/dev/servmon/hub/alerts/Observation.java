package dev.servmon.hub.alerts;

/**
 * What one evaluation saw for a rule on one host and subject.
 *
 * @param active the rule's condition holds
 * @param recovered a firing alert may resolve (with hysteresis this is stricter than {@code !active})
 */
record Observation(long hostId, String hostName, String subject, boolean active, boolean recovered, Double value,
                   Double threshold, String detail) {

    static Observation of(long hostId, String hostName, String subject, boolean active, Double value, Double threshold, String detail) {
        return new Observation(hostId, hostName, subject, active, !active, value, threshold, detail);
    }
}

package dev.servmon.hub.alerts;

/**
 * One row of {@code alerts} as the engine changes it: an episode of a rule on a host and subject.
 * Mutable on purpose — the engine loads the open ones, moves them along and writes back those it
 * touched.
 */
final class Episode {
    long id;
    long ruleId;
    long hostId;
    String hostName;
    String subject = "";
    AlertState state;
    Double value;
    Double threshold;
    String detail;
    long pendingAtMs;
    Long firingAtMs;
    Long resolvedAtMs;
    String suppressed;
    String notifiedState;
    Long lastNotifiedAtMs;
    String ackedBy;
    String ackedComment;
    Long ackedAtMs;
    long updatedAtMs;
    /** Changed since loaded: to be written. */
    boolean dirty;
    /** Pending that stopped holding before it fired: to be deleted, not kept as history. */
    boolean cancelled;

    Key key() {
        return new Key(ruleId, hostId, subject);
    }

    boolean acknowledged() {
        return ackedAtMs != null;
    }

    /** What identifies an open episode: one per rule, host and subject. */
    record Key(long ruleId, long hostId, String subject) {}
}

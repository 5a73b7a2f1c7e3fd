package dev.servmon.hub.control;

/**
 * Where a command is in its life: {@code QUEUED → SENT → ACKED → SUCCEEDED | FAILED}, or
 * {@code QUEUED → EXPIRED}, or {@code REFUSED} at once when the agent was not connected and the
 * caller chose not to queue.
 */
public enum CommandState {
    QUEUED, SENT, ACKED, SUCCEEDED, FAILED, EXPIRED, REFUSED;

    /** True once nothing more will happen to the command. */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == EXPIRED || this == REFUSED;
    }
}

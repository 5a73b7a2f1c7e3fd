package dev.servmon.agent.programs;

/** Where a supervised program is in its life. */
public enum ProgramState {
    /** Not running, and not meant to: never started, or stopped on request. */
    STOPPED,
    /** Started, not yet up for the spec's {@code startSeconds}. */
    STARTING,
    /** Up for at least {@code startSeconds}. */
    RUNNING,
    /** Asked to stop: the stop signal was sent, the timeout (then KILL) runs. */
    STOPPING,
    /** Exited; waits out the restart delay before the next start. */
    BACKOFF,
    /** Exited and, by its restart policy, stays down. */
    EXITED,
    /** Gave up: too many restarts within the window, or it cannot be started at all. */
    FAILED;

    /** Whether a process of this program is (or may be) alive. */
    public boolean hasProcess() {
        return this == STARTING || this == RUNNING || this == STOPPING;
    }
}

package dev.servmon.hub.programs;

/**
 * Hears what happens to supervised programs (alerts and webhooks subscribe here). Called once per
 * event, after the sample carrying it was committed, on the sample writer's thread: return
 * quickly, and do not throw (a throw is logged and the other listeners still run).
 */
@FunctionalInterface
public interface ProgramEventListener {
    /**
     * @param hostId the host whose agent reported it
     * @param program the program's name
     * @param kind {@code started}, {@code stopped}, {@code exited}, {@code restarted} or {@code gave_up}
     * @param exitCode the exit status when there is one
     * @param atMs when it happened on the host, epoch milliseconds
     */
    void onEvent(long hostId, String program, String kind, Integer exitCode, long atMs);
}

package dev.servmon.hub.checks;

/**
 * Hears every result this hub replica records: scheduled runs (on the leader), "run now"
 * requests, pushes it received, and the DOWN results of missing pushes (on the leader). Register
 * with {@link Checks#addListener}; alert rules subscribe here.
 *
 * <p>Called on the thread that recorded the result, after it is stored, one listener after the
 * other: return quickly (hand long work to an executor of your own). An exception is logged and
 * does not stop the other listeners.
 */
@FunctionalInterface
public interface CheckListener {
    /**
     * @param check the check as it was when it ran
     * @param result the new result, already stored
     * @param previous the check's result before this one, or null for its first
     */
    void onResult(Check check, CheckResult result, CheckResult previous);
}

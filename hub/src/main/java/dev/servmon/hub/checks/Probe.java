package dev.servmon.hub.checks;

/**
 * Looks at a check's target once. Implementations keep to the check's timeout, never throw for
 * a failing target (that is a DOWN {@link Outcome} with a message saying what failed), and hold
 * no state per check, so one instance serves every check of its type on any thread.
 */
interface Probe {
    Outcome run(Check check);
}

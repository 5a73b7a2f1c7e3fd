package dev.servmon.hub.hosts;

/** What the dashboard shows on a host's card. */
public enum HostStatus {
    /** Reporting. */
    ON,
    /** Reported before, silent for longer than the liveness window. */
    OFF,
    /** Registered, never reported. */
    EMPTY
}

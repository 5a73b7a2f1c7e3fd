package dev.servmon.agent.programs;

/** When the supervisor starts a program again after it exited on its own. */
public enum RestartPolicy {
    /** Never: an exit is final (state EXITED). */
    NEVER("never"),
    /** Only after a failure: a non-zero exit status or death by a signal. */
    ON_FAILURE("on-failure"),
    /** After every exit, even status 0. */
    ALWAYS("always");

    private final String wire;

    RestartPolicy(String wire) {
        this.wire = wire;
    }

    /** The name in specs and on the wire: {@code never}, {@code on-failure}, {@code always}. */
    public String wire() {
        return wire;
    }

    /**
     * Whether an exit with {@code exitCode} calls for a restart.
     *
     * @param exitCode the exit status, or null when unknown (counted as a failure: the wrapper
     *     that records it was killed too)
     */
    public boolean restartsAfter(Integer exitCode) {
        return switch (this) {
            case NEVER -> false;
            case ALWAYS -> true;
            case ON_FAILURE -> exitCode == null || exitCode != 0;
        };
    }

    /** The policy named {@code wire}; null when there is none of that name. */
    public static RestartPolicy of(String wire) {
        for (RestartPolicy p : values()) {
            if (p.wire.equals(wire)) {
                return p;
            }
        }
        return null;
    }
}

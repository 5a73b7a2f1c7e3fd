package dev.servmon.protocol;

/**
 * Version of the agent-to-hub wire protocol.
 *
 * <p>{@link #CURRENT} is what this build speaks; {@link #MIN_COMPATIBLE} is the oldest agent
 * protocol a hub of this build still accepts. Field names are stable: new fields are added as
 * optional (nullable) and old agents simply leave them out.
 */
public final class ProtocolVersion {
    /** The protocol version this build writes. */
    public static final int CURRENT = 1;
    /** The oldest protocol version this build's hub accepts. */
    public static final int MIN_COMPATIBLE = 1;

    private ProtocolVersion() {}

    /** Whether a hub of this build accepts a batch written in {@code version}. */
    public static boolean accepts(int version) {
        return version >= MIN_COMPATIBLE && version <= CURRENT;
    }
}

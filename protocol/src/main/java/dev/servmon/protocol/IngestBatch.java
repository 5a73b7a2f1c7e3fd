package dev.servmon.protocol;

import java.util.List;

/**
 * One POST to the hub's ingest endpoint: a batch of samples from one host, oldest first.
 *
 * @param protocolVersion the {@link ProtocolVersion} the agent writes
 * @param agentVersion the agent's build version, for the host page and support
 * @param intervalSeconds the agent's reporting interval; the hub derives liveness from it
 * @param samples samples in increasing {@code seq}; at least one
 */
public record IngestBatch(int protocolVersion, String agentVersion, int intervalSeconds, List<Sample> samples) {
    /** Largest batch the hub accepts; agents split bigger backlogs. */
    public static final int MAX_SAMPLES = 1000;

    public IngestBatch {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }
}

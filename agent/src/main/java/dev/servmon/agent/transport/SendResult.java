package dev.servmon.agent.transport;

import dev.servmon.protocol.IngestAck;
import java.time.Duration;

/** What became of one batch sent to the hub. */
public sealed interface SendResult {

    /** The hub committed the batch (200). */
    record Acked(IngestAck ack) implements SendResult {}

    /**
     * The hub does not know the host key or it was revoked (401). Retrying cannot help; the
     * host must be registered again.
     *
     * @param detail the hub's explanation
     */
    record KeyRejected(String detail) implements SendResult {}

    /**
     * The batch did not arrive or was not committed, and sending it again later may work: hub
     * down or overloaded, timeout, network error, proxy error.
     *
     * @param reason what happened, for the log
     * @param retryAfter how long the hub asked the agent to wait ({@code Retry-After}), or {@code null}
     */
    record Retryable(String reason, Duration retryAfter) implements SendResult {}

    /**
     * The hub refused this batch as such (400 malformed, 413 too large, 422): sending the same
     * bytes again would be refused again.
     *
     * @param status the HTTP status
     * @param detail the hub's explanation (problem detail)
     */
    record Refused(int status, String detail) implements SendResult {}
}

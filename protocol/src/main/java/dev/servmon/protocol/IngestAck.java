package dev.servmon.protocol;

/**
 * The hub's answer to an {@link IngestBatch}, sent only after the batch is committed.
 *
 * @param ackedThroughSeq highest {@code seq} of the batch; everything up to it is stored
 * @param stored samples newly stored by this request
 * @param duplicates samples the hub already had (replays); they are not stored again
 */
public record IngestAck(long ackedThroughSeq, int stored, int duplicates) {}

package dev.servmon.protocol.checks;

/** UP or DOWN with the sentence a person reads, e.g. {@code status 200} or {@code 3 files; at most 2 expected}. */
public record Verdict(boolean up, String message) {}

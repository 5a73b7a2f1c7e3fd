/**
 * What hub and agent share to judge a health check's probe the same way wherever it runs: the
 * accepted HTTP status codes, duration wording, and the pure verdicts of {@link dev.servmon.protocol.checks.Verdicts}.
 * The probes themselves (network, files, processes) live in the hub ({@code hub/checks}) and the
 * agent ({@code agent/checks}).
 */
package dev.servmon.protocol.checks;

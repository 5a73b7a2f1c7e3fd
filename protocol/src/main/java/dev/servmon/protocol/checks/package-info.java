/**
 * What hub and agent share to judge a health check's probe the same way wherever it runs: the
 * accepted HTTP status codes, duration wording, the pure verdicts of {@link dev.servmon.protocol.checks.Verdicts},
 * ping output parsing and the directory listing. The other probes (network, processes) live in
 * the hub ({@code hub/checks}, with {@code java.net.http}) and the agent ({@code agent/checks},
 * with lighter JDK classes).
 */
package dev.servmon.protocol.checks;

/**
 * Health checks run by this agent for the hub: the {@code check.run} command
 * ({@link dev.servmon.agent.checks.CheckRun}) probes a target from this machine — TCP, HTTP(S),
 * ping, DNS (system resolver), a directory's files, or a command — and reports UP/DOWN with
 * what it measured. The hub schedules, stores and alerts; the agent only looks. JDK classes
 * only ({@code HttpURLConnection}, not {@code java.net.http}), loaded at the first check of each type.
 */
package dev.servmon.agent.checks;

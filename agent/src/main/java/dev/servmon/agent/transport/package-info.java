/**
 * Talking to the hub's ingest endpoint: the HTTP client, its outcomes and the retry backoff.
 */
package dev.servmon.agent.transport;

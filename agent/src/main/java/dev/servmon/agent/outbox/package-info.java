/**
 * Samples between collection and acknowledgement: the bounded outbox and the persistent sequence numbers that make replays idempotent.
 */
package dev.servmon.agent.outbox;

package dev.servmon.hub.control;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A command as stored in the history and shown by the API and the live stream.
 *
 * @param id the command's id (a UUID), also on the wire
 * @param hostId the host whose agent runs it
 * @param type e.g. {@code power.shutdown}
 * @param args the arguments sent to the agent (a JSON object)
 * @param requestedBy who asked: a user name, {@code "name (token 7)"} for an API token, or
 *     {@code "hub"} for the hub itself (schedules, policies)
 * @param message one line about the outcome, from the agent or the hub
 * @param data structured details of the outcome (a JSON object), or null
 */
public record Command(
        String id,
        long hostId,
        String type,
        JsonNode args,
        CommandState state,
        String requestedBy,
        long createdAtMs,
        Long sentAtMs,
        Long ackedAtMs,
        Long finishedAtMs,
        long expiresAtMs,
        String message,
        JsonNode data) {}

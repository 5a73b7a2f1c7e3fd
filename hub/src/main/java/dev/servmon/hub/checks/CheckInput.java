package dev.servmon.hub.checks;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A check as the API receives it ({@code POST} and {@code PUT /api/v1/checks}); everything is
 * optional here and checked by {@link CheckValidator}.
 */
public record CheckInput(
        String name,
        String type,
        Long hostId,
        Long agentHostId,
        Integer intervalSeconds,
        Integer timeoutSeconds,
        Boolean enabled,
        @JsonProperty("public") Boolean publicOnStatusPage,
        CheckSettings settings) {}

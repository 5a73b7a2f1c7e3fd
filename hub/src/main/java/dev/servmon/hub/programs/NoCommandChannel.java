package dev.servmon.hub.programs;

import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.auth.Principal;
import dev.servmon.hub.control.CommandSender;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Stands in for the agent command channel in builds without it: every command is refused with
 * 503. The channel's own sender replaces it where {@link dev.servmon.hub.Hub} wires the features.
 */
public final class NoCommandChannel implements CommandSender, CommandResults {
    static final String DETAIL = "the agent command channel is not available in this build";

    @Override
    public SubmittedCommand submit(long hostId, String type, Map<String, Object> args, WhenOffline whenOffline, Duration expiry,
            Principal by) {
        throw new ApiException(503, DETAIL);
    }

    @Override
    public Optional<Result> await(String commandId, Duration timeout) {
        return Optional.empty();
    }
}

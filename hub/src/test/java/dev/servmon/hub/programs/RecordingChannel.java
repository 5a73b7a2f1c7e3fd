package dev.servmon.hub.programs;

import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.auth.Principal;
import dev.servmon.hub.control.CommandSender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent command channel as the programs feature sees it, for tests until the real channel is
 * in the build: a real {@link CommandSender} (and {@link CommandResults}) that keeps every
 * submission in a list instead of sending it to an agent, refuses REFUSE commands with 409 while
 * {@link #offline} is set (as the channel does for a disconnected agent), and answers
 * {@code program.tail} with {@link #tailLines} as an agent would. Not a mock: tests assert on
 * what the hub sent and the HTTP answers, never on calls.
 */
public final class RecordingChannel implements CommandSender, CommandResults {
    /** One submitted command. */
    public record Sent(long hostId, String type, Map<String, Object> args, WhenOffline whenOffline, Duration expiry, String by) {}

    private final List<Sent> sent = new ArrayList<>();
    private final Map<String, Result> results = new ConcurrentHashMap<>();
    public volatile boolean offline;
    public volatile List<String> tailLines = List.of();

    @Override
    public synchronized SubmittedCommand submit(long hostId, String type, Map<String, Object> args, WhenOffline whenOffline,
            Duration expiry, Principal by) {
        if (offline && whenOffline == WhenOffline.REFUSE) {
            throw new ApiException(409, "the agent of host " + hostId + " is not connected");
        }
        sent.add(new Sent(hostId, type, args, whenOffline, expiry, by == null ? null : by.user().username()));
        String id = "cmd-" + sent.size();
        if (type.equals("program.tail")) {
            results.put(id, new Result(true, tailLines.size() + " lines", Map.of("lines", tailLines)));
        }
        return new SubmittedCommand(id, hostId, type, offline ? "QUEUED" : "SENT");
    }

    @Override
    public Optional<Result> await(String commandId, Duration timeout) {
        return Optional.ofNullable(results.get(commandId));
    }

    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    public synchronized Sent last() {
        return sent.get(sent.size() - 1);
    }
}

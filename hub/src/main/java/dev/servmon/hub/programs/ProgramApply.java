package dev.servmon.hub.programs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code programs.apply} command as the agent receives it: the host's whole desired set
 * and its revision, {@code {"programs":[spec…], "revision": n}}. Sent on every definition
 * change ({@link ProgramHandlers}) and when an agent reconnects with another revision
 * ({@link ProgramReconciler}).
 */
final class ProgramApply {
    static final String TYPE = "programs.apply";
    /** How long an apply waits for an offline agent before it is dropped (reconnecting agents get the set anyway). */
    static final Duration EXPIRY = Duration.ofDays(7);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final ProgramStore store;
    private final ObjectMapper json;

    ProgramApply(ProgramStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /** The command's arguments for the host's current set, and its revision. */
    record Args(long revision, Map<String, Object> args) {}

    Args current(long hostId) {
        ProgramStore.Desired desired = store.desired(hostId);
        List<Map<String, Object>> specs = new ArrayList<>(desired.programs().size());
        for (var d : desired.programs()) {
            Map<String, Object> m = new LinkedHashMap<>(json.convertValue(d.spec(), MAP));
            m.values().removeIf(Objects::isNull);
            specs.add(m);
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("programs", specs);
        args.put("revision", desired.revision());
        return new Args(desired.revision(), args);
    }

    /** The revision a stored apply carries; -1 for one without (sent before revisions existed). */
    static long revisionOf(JsonNode args) {
        JsonNode r = args == null ? null : args.get("revision");
        return r != null && r.isIntegralNumber() ? r.asLong() : -1;
    }
}

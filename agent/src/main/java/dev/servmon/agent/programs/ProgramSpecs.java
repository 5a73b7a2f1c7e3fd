package dev.servmon.agent.programs;

import dev.servmon.protocol.ProgramSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link ProgramSpec}s to and from the maps of the agent's JSON reader and writer: the
 * {@code programs.apply} command's arguments and the agent's {@code programs.json}.
 */
final class ProgramSpecs {
    private ProgramSpecs() {}

    /**
     * Reads and validates a list of specs; names must be unique.
     *
     * @param list the parsed {@code programs} member
     * @throws IllegalArgumentException naming the first invalid member, e.g. {@code programs[1].stopSignal}
     */
    static List<ProgramSpec> readAll(Object list) {
        if (!(list instanceof List<?> items)) {
            throw new IllegalArgumentException("programs must be a list of program specs");
        }
        List<ProgramSpec> out = new ArrayList<>(items.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            ProgramSpec spec = read(items.get(i), "programs[" + i + "]");
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("programs[" + i + "].name '" + spec.name() + "' is given twice; names are unique per host");
            }
            out.add(spec);
        }
        return out;
    }

    static ProgramSpec read(Object object, String at) {
        SpecReader r = new SpecReader(object, at);
        Object check = r.raw("healthCheck");
        ProgramSpec.HealthCheck health = null;
        if (check != null) {
            SpecReader h = new SpecReader(check, at + ".healthCheck");
            health = new ProgramSpec.HealthCheck(h.string("type"), h.string("host"), h.integer("port"), h.string("url"),
                    h.strings("command"), h.number("intervalSeconds"), h.number("timeoutSeconds"), h.integer("failures"));
        }
        return new ProgramSpec(r.string("name"), r.string("command"), r.strings("args"), r.string("cwd"), r.stringMap("env"),
                r.string("runAs"), r.bool("autostart"), r.string("restart"), r.number("backoffFirstSeconds"),
                r.number("backoffMaxSeconds"), r.integer("maxRestarts"), r.number("restartWindowSeconds"), r.string("stopSignal"),
                r.number("stopTimeoutSeconds"), r.number("startSeconds"), health).validate(at);
    }

    /** The spec as the JSON writer writes it; {@link #read} reads it back equal. */
    static Map<String, Object> toMap(ProgramSpec s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("command", s.command());
        m.put("args", s.args());
        if (s.cwd() != null) {
            m.put("cwd", s.cwd());
        }
        m.put("env", new LinkedHashMap<>(s.env()));
        if (s.runAs() != null) {
            m.put("runAs", s.runAs());
        }
        m.put("autostart", s.autostart());
        m.put("restart", s.restart());
        m.put("backoffFirstSeconds", s.backoffFirstSeconds());
        m.put("backoffMaxSeconds", s.backoffMaxSeconds());
        m.put("maxRestarts", s.maxRestarts());
        m.put("restartWindowSeconds", s.restartWindowSeconds());
        m.put("stopSignal", s.stopSignal());
        m.put("stopTimeoutSeconds", s.stopTimeoutSeconds());
        m.put("startSeconds", s.startSeconds());
        var h = s.healthCheck();
        if (h != null) {
            Map<String, Object> hm = new LinkedHashMap<>();
            hm.put("type", h.type());
            if (h.host() != null) {
                hm.put("host", h.host());
            }
            if (h.port() != null) {
                hm.put("port", h.port());
            }
            if (h.url() != null) {
                hm.put("url", h.url());
            }
            hm.put("command", h.command());
            hm.put("intervalSeconds", h.intervalSeconds());
            hm.put("timeoutSeconds", h.timeoutSeconds());
            hm.put("failures", h.failures());
            m.put("healthCheck", hm);
        }
        return m;
    }
}

package dev.servmon.agent.programs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads typed members of a parsed JSON object ({@link dev.servmon.agent.transport.Json});
 * a member of the wrong type is an error naming it as {@code at.member}. Bounds are checked
 * afterwards by {@link dev.servmon.protocol.ProgramSpec#validate}, the rules the hub applies too.
 */
final class SpecReader {
    private final Map<?, ?> m;
    private final String at;

    SpecReader(Object object, String at) {
        if (!(object instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(at + " must be an object");
        }
        this.m = map;
        this.at = at;
    }

    String string(String name) {
        Object v = m.get(name);
        if (v != null && !(v instanceof String)) {
            throw new IllegalArgumentException(at + "." + name + " must be a string");
        }
        return (String) v;
    }

    Double number(String name) {
        Object v = m.get(name);
        if (v != null && !(v instanceof Number)) {
            throw new IllegalArgumentException(at + "." + name + " must be a number");
        }
        return v == null ? null : ((Number) v).doubleValue();
    }

    Integer integer(String name) {
        Double d = number(name);
        if (d == null) {
            return null;
        }
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(at + "." + name + " must be a whole number");
        }
        return d.intValue();
    }

    Boolean bool(String name) {
        Object v = m.get(name);
        if (v != null && !(v instanceof Boolean)) {
            throw new IllegalArgumentException(at + "." + name + " must be true or false");
        }
        return (Boolean) v;
    }

    List<String> strings(String name) {
        Object v = m.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException(at + "." + name + " must be a list of strings");
        }
        List<String> out = new ArrayList<>(l.size());
        for (Object o : l) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException(at + "." + name + " must hold only strings");
            }
            out.add(s);
        }
        return out;
    }

    Map<String, String> stringMap(String name) {
        Object v = m.get(name);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> e)) {
            throw new IllegalArgumentException(at + "." + name + " must be an object of NAME: \"value\" strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : e.entrySet()) {
            if (!(entry.getValue() instanceof String s)) {
                throw new IllegalArgumentException(at + "." + name + "." + entry.getKey() + " must be a string");
            }
            out.put(String.valueOf(entry.getKey()), s);
        }
        return out;
    }

    Object raw(String name) {
        return m.get(name);
    }
}

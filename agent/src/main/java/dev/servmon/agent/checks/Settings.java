package dev.servmon.agent.checks;

import java.util.Map;

/**
 * A check's settings as the hub sent them (JSON parsed by the agent's own reader). The hub has
 * validated them; this only reads them, and says which field is missing or of the wrong kind
 * rather than failing with a ClassCastException.
 */
record Settings(Map<String, Object> values) {

    @SuppressWarnings("unchecked")
    static Settings of(Object raw) {
        return new Settings(raw instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
    }

    String text(String name) {
        Object v = values.get(name);
        if (v != null && !(v instanceof String)) {
            throw new IllegalArgumentException("settings." + name + " must be text, got " + v);
        }
        return v == null || ((String) v).isEmpty() ? null : (String) v;
    }

    String requiredText(String name) {
        String v = text(name);
        if (v == null) {
            throw new IllegalArgumentException("settings." + name + " is required");
        }
        return v;
    }

    Long number(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("settings." + name + " must be a number, got " + v);
        }
        return n.longValue();
    }

    boolean flag(String name, boolean otherwise) {
        Object v = values.get(name);
        return v instanceof Boolean b ? b : otherwise;
    }
}

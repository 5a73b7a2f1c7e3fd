package dev.servmon.hub.alerts;

import java.util.ArrayList;
import java.util.List;

/** Lists of ids stored as JSON text ({@code [1,2,3]}) in one column: small, read whole, never queried. */
final class JsonLists {
    private JsonLists() {}

    static String write(List<Long> ids) {
        StringBuilder b = new StringBuilder("[");
        for (Long id : ids) {
            b.append(b.length() == 1 ? "" : ",").append(id);
        }
        return b.append(']').toString();
    }

    static List<Long> read(String text) {
        List<Long> ids = new ArrayList<>();
        if (text == null) {
            return ids;
        }
        String body = text.strip();
        if (body.startsWith("[")) {
            body = body.substring(1);
        }
        if (body.endsWith("]")) {
            body = body.substring(0, body.length() - 1);
        }
        for (String part : body.split(",")) {
            if (!part.isBlank()) {
                ids.add(Long.parseLong(part.strip()));
            }
        }
        return ids;
    }
}

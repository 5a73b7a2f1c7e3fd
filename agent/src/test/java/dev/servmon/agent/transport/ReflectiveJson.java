package dev.servmon.agent.transport;

import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * The reference for {@link SampleJson}: writes any record by reflection, every non-null
 * component in declaration order, the way the agent wrote samples before its writer was spelled
 * out by hand. Strings and numbers go through {@link Json}'s own writers.
 */
final class ReflectiveJson {
    private ReflectiveJson() {}

    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value) {
        if (value instanceof Record r) {
            sb.append('{');
            boolean first = true;
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                Object v;
                try {
                    v = c.getAccessor().invoke(r);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                if (v == null) {
                    continue;
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append('"').append(c.getName()).append("\":");
                write(sb, v);
            }
            sb.append('}');
        } else if (value instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, list.get(i));
            }
            sb.append(']');
        } else {
            Json.write(sb, value);
        }
    }
}

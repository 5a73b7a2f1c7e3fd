package dev.servmon.agent.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's JSON: writes protocol records, reads the hub's small answers.
 *
 * <p>The agent does not use Jackson. Jackson is the right tool for the hub, but in the agent it
 * loads about 1,500 classes (roughly 8 MB of resident memory) to write one object shape and
 * read two tiny ones. This writer serialises the sample records ({@link SampleJson}) by their
 * components, in declaration order, exactly as Jackson does by default except that
 * {@code null} components are left out (the hub reads an absent field as null), so the wire
 * stays small. Doubles that are not finite are written as {@code null}: JSON has no NaN.
 */
public final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /** {@code value} (a sample record, list, map, string, number, boolean or null) as UTF-8 JSON. */
    public static byte[] write(Object value) {
        StringBuilder sb = new StringBuilder(1024);
        write(sb, value);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code value} as JSON. */
    public static void write(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            string(sb, s);
        } else if (value instanceof Double d) {
            number(sb, d);
        } else if (value instanceof Float f) {
            number(sb, f.doubleValue());
        } else if (value instanceof Number || value instanceof Boolean) {
            sb.append(value);
        } else if (value instanceof Record r) {
            if (!SampleJson.write(sb, r)) {
                throw new IllegalArgumentException("cannot write " + r.getClass().getName() + " as JSON: only the sample records are written (SampleJson)");
            }
        } else if (value instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, list.get(i));
            }
            sb.append(']');
        } else if (value instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (value instanceof Enum<?> e) {
            string(sb, e.name());
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    static void number(StringBuilder sb, double d) {
        if (!Double.isFinite(d)) {
            sb.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            sb.append((long) d).append(".0");
        } else {
            sb.append(d);
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                // Line and paragraph separators are valid JSON but end lines in JavaScript: escaped for safety.
                case '\u2028' -> sb.append("\\u2028");
                case '\u2029' -> sb.append("\\u2029");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /**
     * Parses JSON text into maps ({@link LinkedHashMap}), lists, strings, {@link Long} or
     * {@link Double} numbers, booleans and null.
     *
     * @throws IOException when the text is not one complete JSON value
     */
    public static Object parse(String text) throws IOException {
        Parser p = new Parser(text);
        p.space();
        Object v = p.value(0);
        p.space();
        if (p.at < text.length()) {
            throw p.error("text after the JSON value");
        }
        return v;
    }

    /** {@link #parse} of UTF-8 bytes. */
    public static Object parse(byte[] utf8) throws IOException {
        return parse(new String(utf8, StandardCharsets.UTF_8));
    }

    /** The object member {@code name} of a parsed object, or null. */
    public static Object member(Object object, String name) {
        return object instanceof Map<?, ?> m ? m.get(name) : null;
    }

    private static final class Parser {
        private static final int MAX_DEPTH = 64;
        private final String s;
        private int at;

        Parser(String s) {
            this.s = s;
        }

        Object value(int depth) throws IOException {
            if (depth > MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH);
            }
            if (at >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(at);
            switch (c) {
                case '{' -> {
                    at++;
                    Map<String, Object> map = new LinkedHashMap<>();
                    space();
                    if (peek('}')) {
                        at++;
                        return map;
                    }
                    while (true) {
                        space();
                        if (!peek('"')) {
                            throw error("expected a member name");
                        }
                        String key = string();
                        space();
                        expect(':');
                        space();
                        map.put(key, value(depth + 1));
                        space();
                        if (peek(',')) {
                            at++;
                        } else {
                            expect('}');
                            return map;
                        }
                    }
                }
                case '[' -> {
                    at++;
                    List<Object> list = new ArrayList<>();
                    space();
                    if (peek(']')) {
                        at++;
                        return list;
                    }
                    while (true) {
                        space();
                        list.add(value(depth + 1));
                        space();
                        if (peek(',')) {
                            at++;
                        } else {
                            expect(']');
                            return list;
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                case 't' -> {
                    word("true");
                    return Boolean.TRUE;
                }
                case 'f' -> {
                    word("false");
                    return Boolean.FALSE;
                }
                case 'n' -> {
                    word("null");
                    return null;
                }
                default -> {
                    return number();
                }
            }
        }

        String string() throws IOException {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (at >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(at++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (at >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(at++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (at + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        at += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        Object number() throws IOException {
            int start = at;
            boolean fraction = false;
            while (at < s.length()) {
                char c = s.charAt(at);
                if (c >= '0' && c <= '9' || c == '-' || c == '+') {
                    at++;
                } else if (c == '.' || c == 'e' || c == 'E') {
                    fraction = true;
                    at++;
                } else {
                    break;
                }
            }
            String t = s.substring(start, at);
            if (t.isEmpty()) {
                throw error("unexpected character '" + s.charAt(start) + "'");
            }
            try {
                return fraction ? (Object) Double.parseDouble(t) : (Object) Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw error("bad number " + t);
            }
        }

        void word(String w) throws IOException {
            if (!s.startsWith(w, at)) {
                throw error("expected " + w);
            }
            at += w.length();
        }

        boolean peek(char c) {
            return at < s.length() && s.charAt(at) == c;
        }

        void expect(char c) throws IOException {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            at++;
        }

        void space() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }

        IOException error(String what) {
            return new IOException("invalid JSON at offset " + at + ": " + what);
        }
    }
}

package dev.servmon.agent.collect;

import java.util.HashMap;
import java.util.Map;

/** Parser of {@code os-release(5)}: the operating system's name and version. */
final class OsRelease {
    private OsRelease() {}

    /**
     * The OS as people name it: {@code PRETTY_NAME}, else {@code NAME VERSION}, else
     * {@code NAME}; {@code null} when the file names nothing.
     */
    static String prettyName(String text) {
        Map<String, String> vars = parse(text);
        String pretty = vars.get("PRETTY_NAME");
        if (pretty != null && !pretty.isEmpty()) {
            return pretty;
        }
        String name = vars.get("NAME");
        String version = vars.get("VERSION");
        if (name == null || name.isEmpty()) {
            return null;
        }
        return version == null || version.isEmpty() ? name : name + " " + version;
    }

    /**
     * The {@code KEY=value} assignments. Values follow shell quoting: double or single quotes,
     * or none; inside double quotes a backslash escapes {@code " \ $ `}.
     */
    static Map<String, String> parse(String text) {
        Map<String, String> vars = new HashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.startsWith("#") || eq <= 0) {
                continue;
            }
            vars.put(l.substring(0, eq), unquote(l.substring(eq + 1)));
        }
        return vars;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.charAt(0) == '\'' && v.endsWith("'")) {
            return v.substring(1, v.length() - 1);
        }
        if (v.length() < 2 || v.charAt(0) != '"' || !v.endsWith("\"")) {
            return v;
        }
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 1; i < v.length() - 1; i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length() - 1 && "\"\\$`".indexOf(v.charAt(i + 1)) >= 0) {
                c = v.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }
}

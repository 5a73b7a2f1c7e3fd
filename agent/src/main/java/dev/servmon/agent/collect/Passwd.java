package dev.servmon.agent.collect;

import java.util.HashMap;
import java.util.Map;

/** Parser of {@code /etc/passwd}: user names by user id. */
final class Passwd {
    private Passwd() {}

    /**
     * User names by uid from {@code name:password:uid:gid:gecos:home:shell} lines. Comments,
     * NIS {@code +}/{@code -} lines and malformed lines are skipped; of two names for one uid
     * the first wins, as {@code getpwuid} answers.
     */
    static Map<Long, String> parse(String text) {
        Map<Long, String> names = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("+") || line.startsWith("-")) {
                continue;
            }
            int c1 = line.indexOf(':');
            int c2 = c1 < 0 ? -1 : line.indexOf(':', c1 + 1);
            int c3 = c2 < 0 ? -1 : line.indexOf(':', c2 + 1);
            if (c1 <= 0 || c3 < 0) {
                continue;
            }
            try {
                names.putIfAbsent(Long.parseLong(line.substring(c2 + 1, c3)), line.substring(0, c1));
            } catch (NumberFormatException e) {
                // A hand-edited line with a bad uid names nobody; the rest of the file still counts.
                continue;
            }
        }
        return names;
    }
}

package dev.servmon.agent.collect;

import java.util.HashMap;
import java.util.Map;

/**
 * Parses {@code df -P -i} (GNU coreutils or BusyBox): inode totals and use per mount point.
 *
 * <p>The JDK exposes {@code statvfs}'s block counts but not its inode counts, so inodes come
 * from {@code df}, at a slow cadence (see {@link InodeSource}). A file system that allocates
 * inodes dynamically (btrfs, ZFS report 0 total) is left out: "no inode limit" is not "0 of 0".
 */
final class DfInodes {
    /** Inodes of one mount point. */
    record Inodes(long total, long used) {}

    private DfInodes() {}

    /**
     * The inode counts by mount point.
     *
     * @throws IllegalArgumentException when the text is not {@code df -P -i} output
     */
    static Map<String, Inodes> parse(String text) {
        Map<String, Inodes> result = new HashMap<>();
        boolean header = true;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (header) {
                if (!line.startsWith("Filesystem") || !line.contains("Inodes")) {
                    throw new IllegalArgumentException("not a df -P -i table: " + clip(line));
                }
                header = false;
                continue;
            }
            // Filesystem Inodes IUsed IFree IUse% Mounted-on (the mount point is the rest of the line).
            int[] at = new int[1];
            String[] f = new String[5];
            for (int i = 0; i < 5; i++) {
                f[i] = nextField(line, at);
                if (f[i] == null) {
                    throw new IllegalArgumentException("df line with fewer than 6 fields: " + clip(line));
                }
            }
            String mountPoint = line.substring(Math.min(line.length(), skipSpaces(line, at[0]))).stripTrailing();
            if (mountPoint.isEmpty()) {
                throw new IllegalArgumentException("df line without a mount point: " + clip(line));
            }
            long total = number(f[1], line);
            long used = number(f[2], line);
            if (total > 0) {
                result.put(mountPoint, new Inodes(total, Math.min(used, total)));
            }
        }
        if (header) {
            throw new IllegalArgumentException("empty df output");
        }
        return result;
    }

    private static String nextField(String line, int[] at) {
        int i = skipSpaces(line, at[0]);
        int start = i;
        while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        at[0] = i;
        return i > start ? line.substring(start, i) : null;
    }

    private static int skipSpaces(String line, int i) {
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }

    private static long number(String field, String line) {
        if (field.equals("-")) {
            return 0;
        }
        try {
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("df field '" + field + "' is not a number: " + clip(line), e);
        }
    }

    private static String clip(String line) {
        return line.length() <= 120 ? line : line.substring(0, 120) + "…";
    }
}

package dev.servmon.hub.hosts;

import dev.servmon.hub.api.ApiException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Host tags and user scopes: what a tag may look like, and the comma-separated form a user's
 * scope is stored in. A tag is 1 to {@value #MAX_LENGTH} characters of {@code a-z 0-9 . _ : -},
 * lower-cased on the way in (so {@code Web} and {@code web} are one tag); a host or a scope has
 * at most {@value #MAX_PER_OWNER} of them.
 */
public final class Tags {
    public static final int MAX_LENGTH = 32;
    public static final int MAX_PER_OWNER = 20;

    private Tags() {}

    /**
     * The tags, validated, lower-cased, without duplicates, sorted.
     *
     * @param field the JSON field or flag the tags came from, for the message
     * @throws ApiException 400 naming the first bad tag
     */
    public static Set<String> normalize(Collection<String> raw, String field) {
        if (raw == null) {
            return Set.of();
        }
        Set<String> tags = new TreeSet<>();
        for (String t : raw) {
            if (t == null) {
                throw ApiException.badRequest(field + " must not contain null");
            }
            String tag = t.strip().toLowerCase(Locale.ROOT);
            if (tag.isEmpty() || tag.length() > MAX_LENGTH) {
                throw ApiException.badRequest(field + ": a tag must be 1 to " + MAX_LENGTH + " characters, got " + tag.length());
            }
            for (int i = 0; i < tag.length(); i++) {
                char c = tag.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' || c == '-';
                if (!ok) {
                    throw ApiException.badRequest(field + ": tag '" + shorten(tag) + "' may only hold a-z, 0-9 and . _ : - (position " + i + ")");
                }
            }
            tags.add(tag);
        }
        if (tags.size() > MAX_PER_OWNER) {
            throw ApiException.badRequest(field + ": at most " + MAX_PER_OWNER + " tags, got " + tags.size());
        }
        return Set.copyOf(tags);
    }

    /** The stored form of a scope: tags joined by commas, or null for none. */
    public static String join(Set<String> tags) {
        return tags.isEmpty() ? null : String.join(",", new TreeSet<>(tags));
    }

    /** The tags of a stored scope (null or empty: none). */
    public static Set<String> split(String stored) {
        if (stored == null || stored.isEmpty()) {
            return Set.of();
        }
        return Set.of(stored.split(","));
    }

    /** Whether a host with {@code hostTags} is within {@code scope} (an empty scope allows every host). */
    public static boolean within(Set<String> scope, Collection<String> hostTags) {
        if (scope.isEmpty()) {
            return true;
        }
        for (String t : hostTags) {
            if (scope.contains(t)) {
                return true;
            }
        }
        return false;
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}

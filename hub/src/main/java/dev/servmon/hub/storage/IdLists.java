package dev.servmon.hub.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Ids for a bound {@code IN (<ids>)} list. Jdbi renders one placeholder per element and parses
 * (and caches) the statement by its text, so a query run with every count of ids from 1 to
 * 1,000 would be parsed a thousand times over; padded to a power of two it takes ten forms.
 */
public final class IdLists {
    private IdLists() {}

    /** {@code ids} (not empty) padded to the next power of two by repeating the last id, which changes nothing in an {@code IN}. */
    public static List<Long> padded(List<Long> ids) {
        int n = ids.size();
        int padded = n <= 1 ? n : Integer.highestOneBit(n - 1) << 1;
        if (padded == n) {
            return ids;
        }
        List<Long> out = new ArrayList<>(padded);
        out.addAll(ids);
        Long last = ids.get(n - 1);
        while (out.size() < padded) {
            out.add(last);
        }
        return out;
    }

    /** At most this many ids go in one {@code IN} list (SQLite allows 32,766 parameters; statements stay small). */
    public static final int PER_QUERY = 1_000;

    /** {@code ids} in {@link #padded} chunks of at most {@link #PER_QUERY}, for one query each. */
    public static List<List<Long>> chunks(Collection<Long> ids) {
        List<Long> all = List.copyOf(ids);
        List<List<Long>> out = new ArrayList<>(all.size() / PER_QUERY + 1);
        for (int from = 0; from < all.size(); from += PER_QUERY) {
            out.add(padded(all.subList(from, Math.min(all.size(), from + PER_QUERY))));
        }
        return out;
    }
}

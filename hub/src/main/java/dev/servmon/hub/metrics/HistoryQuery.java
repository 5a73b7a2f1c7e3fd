package dev.servmon.hub.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * Pages through a host's raw samples as a table. Only the hours that hold the requested page
 * are decoded: the others are counted from block headers and head-row counts.
 */
public final class HistoryQuery {
    /** Columns of a page when none are asked for: the headline figures. */
    public static final List<String> DEFAULT_COLUMNS = List.of("cpu", "load1", "mem_used", "mem_available", "swap_used",
            "fs_used", "disk_read", "disk_write", "net_rx", "net_tx", "temp:*", "power_watts", "users");
    public static final int MAX_PAGE_SIZE = 1_000;

    private final RawTier raw;

    public HistoryQuery(RawTier raw) {
        this.raw = raw;
    }

    /**
     * One row: a sample's identity and the values of the page's columns (null where the sample has none).
     */
    public record Row(long seq, long atMs, Map<String, Double> values) {}

    /**
     * A page.
     *
     * @param page 0-based page number
     * @param total samples in [fromMs, toMs)
     * @param sort {@code asc} (oldest first) or {@code desc}
     */
    public record Page(long hostId, long fromMs, long toMs, int page, int size, long total, String sort,
                       List<String> columns, List<Row> rows) {}

    public Page page(long hostId, List<String> patterns, long fromMs, long toMs, int page, int size, boolean ascending) {
        List<String> cols = patterns.isEmpty() ? DEFAULT_COLUMNS : patterns;
        return raw.db().inSnapshot(h -> {
            TreeMap<Long, Long> counts = windowCounts(h, hostId, fromMs, toMs);
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            long skip = (long) page * size;
            List<RawSample> chosen = new ArrayList<>(size);
            var windows = ascending ? counts.entrySet() : counts.descendingMap().entrySet();
            for (var w : windows) {
                if (chosen.size() >= size) {
                    break;
                }
                if (skip >= w.getValue()) {
                    skip -= w.getValue();
                    continue;
                }
                long start = Math.max(fromMs, w.getKey());
                long end = Math.min(toMs, w.getKey() + RawTier.WINDOW_MS);
                List<RawSample> in = RawTier.read(h, hostId, start, end);
                if (!ascending) {
                    in.sort(Comparator.comparingLong(RawSample::atMs).thenComparingLong(RawSample::seq).reversed());
                }
                for (int i = (int) skip; i < in.size() && chosen.size() < size; i++) {
                    chosen.add(in.get(i));
                }
                skip = 0;
            }
            List<String> columns = columns(cols, chosen);
            List<Row> rows = new ArrayList<>(chosen.size());
            for (RawSample s : chosen) {
                Map<String, Double> values = new LinkedHashMap<>();
                for (String c : columns) {
                    double v = s.value(c);
                    values.put(c, Double.isNaN(v) ? null : v);
                }
                rows.add(new Row(s.seq(), s.atMs(), values));
            }
            return new Page(hostId, fromMs, toMs, page, size, total, ascending ? "asc" : "desc", columns, rows);
        });
    }

    /** Samples per hour window in [fromMs, toMs); partly covered hours are decoded to count exactly. */
    private static TreeMap<Long, Long> windowCounts(Handle h, long hostId, long fromMs, long toMs) {
        TreeMap<Long, Long> counts = new TreeMap<>();
        h.createQuery("""
                        SELECT window_start_ms, sample_count FROM sample_blocks
                        WHERE host_id = :host AND window_start_ms > :fromWindow AND window_start_ms < :to""")
                .bind("host", hostId).bind("fromWindow", fromMs - RawTier.WINDOW_MS).bind("to", toMs)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                .forEach(e -> {
                    long w = e.getKey();
                    boolean whole = w >= fromMs && w + RawTier.WINDOW_MS <= toMs;
                    long n = whole ? e.getValue() : RawTier.blockSamples(h, hostId, w).stream()
                            .filter(s -> s.atMs() >= fromMs && s.atMs() < toMs).count();
                    counts.put(w, n);
                });
        h.createQuery("""
                        SELECT at_ms FROM sample_head WHERE host_id = :host AND at_ms >= :from AND at_ms < :to""")
                .bind("host", hostId).bind("from", fromMs).bind("to", toMs)
                .mapTo(Long.class)
                .forEach(at -> counts.merge(RawTier.windowOf(at), 1L, Long::sum));
        counts.values().removeIf(n -> n == 0);
        return counts;
    }

    /** Patterns expanded over the series the page's samples have. */
    private static List<String> columns(List<String> patterns, List<RawSample> samples) {
        List<String> out = new ArrayList<>();
        for (String p : patterns) {
            if (p.endsWith(":*")) {
                String prefix = p.substring(0, p.length() - 1);
                samples.stream().flatMap(s -> List.of(s.names()).stream()).filter(n -> n.startsWith(prefix)).distinct()
                        .sorted(MetricsQuery::naturalOrder).filter(n -> !out.contains(n)).forEach(out::add);
            } else if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }
}

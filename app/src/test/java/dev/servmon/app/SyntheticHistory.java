package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.TestHub;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A year of reports for one host, sent through the ingest API: every 10 s over the last 2 hours
 * (as dense as a real agent's default, so the 1-hour chart draws lines), every 8 hours back to
 * 8 days and weekly back to a year (enough for the 7-day to 1-year charts to have data, few
 * enough to send and roll up in a moment). Values follow a daily wave, so they are known in
 * advance ({@link #cpuPercent}). Sequence numbers are 1, 2, 3…, far below a real agent's (which
 * start at the epoch milliseconds), so a real agent can report for the same host afterwards.
 */
final class SyntheticHistory {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    /** Reports newer than this before the end are 10 s apart. */
    static final long RECENT_MS = 2 * HOUR;
    private static final long GIB = 1L << 30;
    private static final int BATCH = 1000;

    /** One report: its sequence number and time. */
    record Report(long seq, long atMs) {}

    private SyntheticHistory() {}

    /** The reports up to {@code endMs}, oldest first. */
    static List<Report> reports(long endMs) {
        List<Long> times = new ArrayList<>();
        addEvery(times, endMs - 366 * DAY, endMs - 8 * DAY, 7 * DAY);
        addEvery(times, endMs - 8 * DAY, endMs - RECENT_MS, 8 * HOUR);
        addEvery(times, endMs - RECENT_MS, endMs, 10_000L);
        List<Report> out = new ArrayList<>(times.size());
        for (int i = 0; i < times.size(); i++) {
            out.add(new Report(i + 1, times.get(i)));
        }
        return out;
    }

    /** The reports before the last {@link #RECENT_MS}, or within them. */
    static List<Report> reports(long endMs, boolean recent) {
        return reports(endMs).stream().filter(r -> (r.atMs() >= endMs - RECENT_MS) == recent).toList();
    }

    private static void addEvery(List<Long> times, long fromMs, long toMs, long stepMs) {
        for (long t = fromMs / stepMs * stepMs + stepMs; t < toMs; t += stepMs) {
            times.add(t);
        }
    }

    /** Busy share of a report: a daily wave between about 10 and 60 %, with a wobble. */
    static double cpuPercent(Report r) {
        double day = 2 * Math.PI * Math.floorMod(r.atMs(), DAY) / DAY;
        return round2(35 + 22 * Math.sin(day) + 3 * Math.sin(r.seq() * 0.7));
    }

    /** Sends these reports for the host with this key, 1,000 per batch. */
    static void ingest(TestHub hub, String key, List<Report> reports) {
        for (int from = 0; from < reports.size(); from += BATCH) {
            List<Report> batch = reports.subList(from, Math.min(reports.size(), from + BATCH));
            StringBuilder json = new StringBuilder("{\"protocolVersion\":1,\"agentVersion\":\"0.1.0\",\"intervalSeconds\":10,\"samples\":[");
            for (int i = 0; i < batch.size(); i++) {
                json.append(i == 0 ? "" : ",").append(sampleJson(batch.get(i)));
            }
            json.append("]}");
            var response = hub.ingest(key, json.toString());
            assertThat(response.statusCode()).as("synthetic history batch: %s", response.body()).isEqualTo(200);
        }
    }

    private static String sampleJson(Report r) {
        double day = 2 * Math.PI * Math.floorMod(r.atMs(), DAY) / DAY;
        double cpu = cpuPercent(r);
        long memUsed = (long) ((3.2 + 1.1 * Math.sin(day + 0.5)) * GIB);
        long hourOfDay = Math.floorMod(r.atMs(), DAY) / HOUR;
        return String.format(Locale.ROOT, """
                {"seq":%d,"atMs":%d,
                 "cpu":{"percent":%.2f,"perCorePercent":[%.2f,%.2f],"load1":%.2f,"load5":%.2f,"load15":%.2f,
                        "userPercent":%.2f,"systemPercent":%.2f,"iowaitPercent":0.4,"stealPercent":0},
                 "memory":{"totalBytes":%d,"usedBytes":%d,"availableBytes":%d,"swapTotalBytes":%d,"swapUsedBytes":%d,"cachedBytes":%d},
                 "filesystems":[{"mount":"/","type":"ext4","totalBytes":%d,"usedBytes":%d}],
                 "network":[{"name":"eth0","rxBytesPerSec":%.0f,"txBytesPerSec":%.0f}],
                 "temperatures":[{"sensor":"coretemp/Package id 0","celsius":%.1f}],
                 "uptimeSeconds":%d,"usersLoggedIn":%d,"powerWatts":%.1f,"powerSource":"rapl"}""",
                r.seq(), r.atMs(), cpu, cpu * 0.8, Math.min(100, cpu * 1.2), cpu / 25, cpu / 28, cpu / 32,
                cpu * 0.7, cpu * 0.3,
                8 * GIB, memUsed, 8 * GIB - memUsed, 2 * GIB, 64L << 20, (long) (1.5 * GIB),
                100 * GIB, 40 * GIB + r.seq() * (1L << 20),
                180_000 + 140_000 * Math.sin(day * 3), 60_000 + 40_000 * Math.cos(day * 2),
                48 + 9 * Math.sin(day), 86_400L * 30 + r.seq(), hourOfDay >= 8 && hourOfDay < 18 ? 2 : 0, 70 + cpu * 1.1);
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

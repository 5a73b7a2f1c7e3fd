package dev.servmon.hub.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servmon.hub.metrics.BlockCodec;
import dev.servmon.hub.metrics.MetricCatalog;
import dev.servmon.hub.metrics.RawSample;
import dev.servmon.hub.metrics.Rollups;
import dev.servmon.protocol.Sample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rollups checked against a brute-force computation: the storage contract, the replica
 * fail-over tests and the multi-process IT use it.
 */
public final class RollupCheck {
    private RollupCheck() {}

    /** A raw sample with its values rounded as storage rounds them. */
    public static RawSample quantized(RawSample s) {
        double[] v = new double[s.values().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = BlockCodec.quantize(s.names()[i], s.values()[i]);
        }
        return new RawSample(s.seq(), s.atMs(), s.names(), v);
    }

    /** Per series, per bucket of {@code widthMs}: the aggregate computed the obvious way. */
    public static Map<String, Map<Long, Rollups.Agg>> bruteForce(List<Sample> samples, long widthMs) {
        Map<String, Map<Long, List<double[]>>> values = new HashMap<>();
        for (Sample sample : samples) {
            RawSample s = quantized(MetricCatalog.flatten(sample));
            long bucket = Math.floorDiv(s.atMs(), widthMs) * widthMs;
            for (int i = 0; i < s.names().length; i++) {
                values.computeIfAbsent(s.names()[i], k -> new HashMap<>()).computeIfAbsent(bucket, k -> new ArrayList<>())
                        .add(new double[] {s.values()[i], s.atMs()});
            }
        }
        Map<String, Map<Long, Rollups.Agg>> out = new HashMap<>();
        values.forEach((name, buckets) -> buckets.forEach((bucket, list) -> {
            double min = list.stream().mapToDouble(x -> x[0]).min().orElseThrow();
            double max = list.stream().mapToDouble(x -> x[0]).max().orElseThrow();
            double sum = list.stream().mapToDouble(x -> x[0]).sum();
            double[] last = list.stream().max(Comparator.comparingDouble(x -> x[1])).orElseThrow();
            out.computeIfAbsent(name, k -> new HashMap<>()).put(bucket, new Rollups.Agg(min, max, sum, list.size(), last[0], (long) last[1]));
        }));
        return out;
    }

    /** Every series and bucket of {@code tier} of the host is exactly {@code expected}: none missing, none extra, none counted twice. */
    public static void assertMatches(Rollups rollups, long hostId, Rollups.Tier tier, Map<String, Map<Long, Rollups.Agg>> expected) {
        assertThat(rollups.series(hostId).keySet()).as("series of host %d", hostId).containsExactlyInAnyOrderElementsOf(expected.keySet());
        int rows = 0;
        for (var e : expected.entrySet()) {
            Map<Long, Rollups.Agg> actual = new HashMap<>();
            rollups.read(tier, hostId, List.of(e.getKey()), Long.MIN_VALUE / 2, Long.MAX_VALUE / 2)
                    .forEach(r -> actual.put(r.bucketMs(), r.agg()));
            assertThat(actual.keySet()).as("%s buckets of %s", tier.label(), e.getKey()).isEqualTo(e.getValue().keySet());
            for (var b : e.getValue().entrySet()) {
                var want = b.getValue();
                var got = actual.get(b.getKey());
                String what = tier.label() + " " + e.getKey() + " @" + b.getKey();
                assertThat(got.count()).as(what + " count").isEqualTo(want.count());
                assertThat(got.min()).as(what + " min").isEqualTo(want.min());
                assertThat(got.max()).as(what + " max").isEqualTo(want.max());
                assertThat(got.sum()).as(what + " sum").isCloseTo(want.sum(), within(Math.abs(want.sum()) * 1e-12 + 1e-9));
                assertThat(got.last()).as(what + " last").isEqualTo(want.last());
                assertThat(got.lastAtMs()).as(what + " last time").isEqualTo(want.lastAtMs());
                rows++;
            }
        }
        assertThat(rows).isPositive();
    }
}

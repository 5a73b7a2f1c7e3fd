package dev.servmon.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void bucket_index_and_value_agree_within_three_percent_everywhere() {
        for (long v = 0; v < LatencyHistogram.MAX_MICROS; v = v < 1000 ? v + 1 : (long) (v * 1.01)) {
            long back = LatencyHistogram.valueOf(LatencyHistogram.index(v));
            assertThat((double) back).as("value %d", v).isCloseTo(v, within(Math.max(1, v * 0.032)));
        }
        assertThat(LatencyHistogram.index(LatencyHistogram.MAX_MICROS)).isGreaterThan(LatencyHistogram.index(LatencyHistogram.MAX_MICROS / 2));
    }

    @Test
    void percentiles_match_a_sorted_array_of_the_same_values() {
        var h = new LatencyHistogram();
        var rnd = new SplittableRandom(7);
        long[] values = new long[20_000];
        for (int i = 0; i < values.length; i++) {
            // Log-normal-ish: mostly a few ms, a tail to seconds, as ack latencies are.
            values[i] = (long) Math.exp(7 + rnd.nextGaussian() * 1.5);
            h.record(values[i]);
        }
        java.util.Arrays.sort(values);
        var all = h.snapshot();
        assertThat(all.count()).isEqualTo(values.length);
        for (double p : new double[] {0.5, 0.95, 0.99}) {
            long exact = values[(int) Math.ceil(p * values.length) - 1];
            assertThat((double) all.percentile(p)).as("p%.0f", p * 100).isCloseTo(exact, within(exact * 0.035 + 1));
        }
        assertThat((double) all.max()).isCloseTo(values[values.length - 1], within(values[values.length - 1] * 0.035));
    }

    @Test
    void the_difference_of_two_snapshots_holds_only_what_came_between() {
        var h = new LatencyHistogram();
        for (int i = 0; i < 100; i++) {
            h.record(1_000);
        }
        var first = h.snapshot();
        for (int i = 0; i < 10; i++) {
            h.record(50_000);
        }
        var window = h.snapshot().minus(first);
        assertThat(window.count()).isEqualTo(10);
        assertThat((double) window.percentile(0.5)).isCloseTo(50_000, within(1_600.0));
        assertThat(first.minus(first).percentile(0.99)).isZero();
    }
}

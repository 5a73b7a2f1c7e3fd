package dev.servmon.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.hub.api.ApiException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryPlanTest {
    static final long NOW = 1_790_000_000_000L;
    static final long H = 3_600_000L;
    static final long D = 24 * H;

    static MetricsQuery.Plan plan(long range, long step) {
        return MetricsQuery.plan(NOW - range, NOW, step, Retention.DEFAULT, NOW);
    }

    @Test
    void the_tier_follows_range_and_step_and_never_gives_more_than_2000_points() {
        assertThat(plan(H, 0).resolution()).isEqualTo(MetricsQuery.Resolution.RAW);
        assertThat(plan(H, 0).stepMs()).isEqualTo(2_000);
        assertThat(plan(24 * H, 0).resolution()).isEqualTo(MetricsQuery.Resolution.RAW);
        assertThat(plan(7 * D, 0).resolution()).isEqualTo(MetricsQuery.Resolution.M1);
        assertThat(plan(30 * D, 0).resolution()).isEqualTo(MetricsQuery.Resolution.M15);
        assertThat(plan(365 * D, 0).resolution()).isEqualTo(MetricsQuery.Resolution.H1);
        assertThat(plan(H, 5 * 60_000).resolution()).isEqualTo(MetricsQuery.Resolution.M1);
        assertThat(plan(H, 10_000).stepMs()).isEqualTo(10_000);
        for (long range : new long[] {60_000, H, 7 * D, 90 * D, 5 * 365 * D, 20 * 365 * D}) {
            for (long step : new long[] {0, 1_000, 60_000, 7 * D}) {
                var p = plan(range, step);
                assertThat(p.points()).as("range %d step %d", range, step).isLessThanOrEqualTo(MetricsQuery.MAX_POINTS + 1);
                assertThat(p.stepMs() % (p.resolution() == MetricsQuery.Resolution.RAW ? 1_000 : 60_000)).isZero();
                assertThat(p.firstMs()).isLessThanOrEqualTo(NOW - range);
            }
        }
    }

    @Test
    void a_range_older_than_a_tiers_retention_uses_a_coarser_tier() {
        var p = MetricsQuery.plan(NOW - 10 * D, NOW - 10 * D + H, 0, Retention.DEFAULT, NOW);
        assertThat(p.resolution()).as("raw is gone after 7 days").isEqualTo(MetricsQuery.Resolution.M1);
        var old = MetricsQuery.plan(NOW - 400 * D, NOW - 399 * D, 0, Retention.DEFAULT, NOW);
        assertThat(old.resolution()).isEqualTo(MetricsQuery.Resolution.H1);
    }

    @Test
    void query_parameters_are_parsed_strictly() {
        assertThat(QueryParams.range("-2h", null, NOW, Duration.ofHours(1))).isEqualTo(new QueryParams.Range(NOW - 2 * H, NOW));
        assertThat(QueryParams.range(null, null, NOW, Duration.ofHours(1))).isEqualTo(new QueryParams.Range(NOW - H, NOW));
        assertThat(QueryParams.range("2026-01-01T00:00:00Z", "1767229200000", NOW, Duration.ofHours(1)))
                .isEqualTo(new QueryParams.Range(1_767_225_600_000L, 1_767_229_200_000L));
        assertThat(QueryParams.stepMs("90")).isEqualTo(90_000);
        assertThat(QueryParams.stepMs("30s")).isEqualTo(30_000);
        assertThat(QueryParams.stepMs("5m")).isEqualTo(300_000);
        assertThat(QueryParams.stepMs("")).isZero();
        assertThat(QueryParams.names(List.of("cpu, mem_used", "net_rx:*", "cpu"), true)).containsExactly("cpu", "mem_used", "net_rx:*");
        assertThat(QueryParams.ascending("-atMs")).isFalse();
        assertThatThrownBy(() -> QueryParams.names(List.of("cpu;drop"), true)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> QueryParams.stepMs("-5")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> QueryParams.range("1000", "1000", NOW, Duration.ofHours(1))).isInstanceOf(ApiException.class);
    }

    @Test
    void retention_is_validated_with_the_option_to_change() {
        assertThat(Retention.parse("--retention-raw", "36h")).isEqualTo(Duration.ofHours(36));
        assertThat(Retention.parse("--retention-raw", "P30D")).isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> new Retention(Duration.ofDays(7), Duration.ofDays(3), Duration.ofDays(365), Duration.ofDays(1825)).validate())
                .hasMessageContaining("--retention-1m (3d) must be at least --retention-raw (7d)");
        assertThatThrownBy(() -> new Retention(Duration.ofMinutes(30), Duration.ofDays(3), Duration.ofDays(365), Duration.ofDays(1825)).validate())
                .hasMessageContaining("--retention-raw must be between 2h and 36500d");
        assertThat(Retention.DEFAULT.rawCutoff(NOW)).isEqualTo((NOW - 7 * D) / H * H);
    }
}

package dev.servmon.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new SplittableRandom(42));

    @Test
    void waits_double_with_each_failure_between_half_and_all_of_the_ceiling() {
        for (int failures = 1; failures <= 6; failures++) {
            long ceilingMs = 1000L << (failures - 1);
            for (int i = 0; i < 100; i++) {
                assertThat(backoff.delay(failures).toMillis()).isBetween(ceilingMs / 2, ceilingMs);
            }
        }
    }

    @Test
    void waits_never_exceed_the_cap_even_after_very_many_failures() {
        for (int failures : new int[] {7, 10, 40, 1000, Integer.MAX_VALUE}) {
            assertThat(backoff.delay(failures)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
        }
    }

    @Test
    void jitter_spreads_agents_that_failed_at_the_same_moment() {
        assertThat(java.util.stream.IntStream.range(0, 50).mapToObj(i -> backoff.delay(5)).distinct().count()).isGreaterThan(40);
    }

    @Test
    void a_cap_below_the_first_wait_is_refused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

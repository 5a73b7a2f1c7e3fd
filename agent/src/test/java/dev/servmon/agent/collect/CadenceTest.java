package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CadenceTest {

    @Test
    void due_first_then_every_period_with_a_little_slack_for_early_samples() {
        Cadence c = new Cadence(30_000);

        assertThat(c.due(100_000)).isTrue();
        assertThat(c.due(110_000)).isFalse();
        assertThat(c.due(120_000)).isFalse();
        assertThat(c.due(129_998)).as("2 ms early").isTrue();
        assertThat(c.due(140_000)).isFalse();
    }

    @Test
    void a_clock_that_went_back_makes_it_due_rather_than_stuck() {
        Cadence c = new Cadence(30_000);
        c.due(100_000);

        assertThat(c.due(50_000)).isTrue();
        assertThat(c.due(60_000)).isFalse();
    }
}

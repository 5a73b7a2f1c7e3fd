package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.agent.Fixtures;
import org.junit.jupiter.api.Test;

class ProcUptimeTest {

    @Test
    void uptime_is_the_first_figure_in_whole_seconds() {
        assertThat(ProcUptime.parseSeconds(Fixtures.text("this-vm/uptime"))).isEqualTo(8640);
    }

    @Test
    void uptime_in_milliseconds_keeps_the_hundredths() {
        assertThat(ProcUptime.parseMillis("350735.47 1319598.82\n")).isEqualTo(350_735_470L);
        assertThat(ProcUptime.parseMillis("12.5 3.0")).isEqualTo(12_500L);
    }

    @Test
    void malformed_or_negative_uptime_is_rejected() {
        assertThatThrownBy(() -> ProcUptime.parseSeconds("abc 1.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcUptime.parseSeconds("-5.0 1.0")).isInstanceOf(IllegalArgumentException.class);
    }
}

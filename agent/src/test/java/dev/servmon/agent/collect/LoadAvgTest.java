package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.agent.Fixtures;
import org.junit.jupiter.api.Test;

class LoadAvgTest {

    @Test
    void the_three_load_averages_are_read_from_this_vm_and_a_desktop() {
        assertThat(LoadAvg.parse(Fixtures.text("this-vm/loadavg"))).isEqualTo(new LoadAvg(1.12, 0.37, 0.13));
        assertThat(LoadAvg.parse(Fixtures.text("node-exporter/loadavg"))).isEqualTo(new LoadAvg(0.21, 0.37, 0.39));
    }

    @Test
    void malformed_text_is_rejected() {
        assertThatThrownBy(() -> LoadAvg.parse("0.1 x 0.3 1/2 3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoadAvg.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}

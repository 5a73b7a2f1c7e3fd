package dev.servmon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryOptionsTest {

    @Test
    void the_defaults_are_64_mib_7_days_and_200_samples_a_second() {
        assertThat(DeliveryOptions.DEFAULTS.outboxMaxBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(DeliveryOptions.DEFAULTS.outboxMaxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(DeliveryOptions.DEFAULTS.replaySamplesPerSecond()).isEqualTo(200);
    }

    @Test
    void a_value_out_of_range_is_refused_with_the_option_to_change_and_its_range() {
        assertThatThrownBy(() -> new DeliveryOptions(0, 168, 200)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--outbox-max-mib must be between 1 and 4096, got 0");
        assertThatThrownBy(() -> new DeliveryOptions(64, 0, 200)).hasMessageStartingWith("--outbox-max-age-hours must be between 1 and");
        assertThatThrownBy(() -> new DeliveryOptions(64, 168, 0)).hasMessageStartingWith("--replay-rate must be between 1 and");
    }
}

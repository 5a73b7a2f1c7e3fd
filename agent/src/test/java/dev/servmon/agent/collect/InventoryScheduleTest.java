package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.protocol.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryScheduleTest {
    private static final Sample.Inventory A = inventory("6.1.0");
    private static final Sample.Inventory B = inventory("6.1.1");

    @Test
    void the_inventory_is_sent_first_then_only_when_it_changed_or_a_day_passed() {
        InventorySchedule s = new InventorySchedule();
        long t = 1_000_000;

        assertThat(s.toSend(A, t)).isEqualTo(A);
        assertThat(s.toSend(inventory("6.1.0"), t + 10_000)).as("equal, not the same object").isNull();
        assertThat(s.toSend(B, t + 20_000)).isEqualTo(B);
        assertThat(s.toSend(B, t + 20_000 + InventorySchedule.RESEND_MILLIS - 1)).isNull();
        assertThat(s.toSend(B, t + 20_000 + InventorySchedule.RESEND_MILLIS)).isEqualTo(B);
        assertThat(s.toSend(null, t + 3 * InventorySchedule.RESEND_MILLIS)).as("nothing read yet").isNull();
    }

    @Test
    void it_is_read_again_every_five_minutes() {
        InventorySchedule s = new InventorySchedule();

        assertThat(s.recomputeDue(0)).isTrue();
        assertThat(s.recomputeDue(10_000)).isFalse();
        assertThat(s.recomputeDue(InventorySchedule.RECOMPUTE_MILLIS)).isTrue();
    }

    private static Sample.Inventory inventory(String kernel) {
        return new Sample.Inventory("h", "Debian", kernel, "amd64", "EPYC", 2, 2, 1L, List.of(),
                List.of(new Sample.Nic("eth0", "02:fc:00:00:00:01", List.of("10.0.0.2/24"), null)), "0.1.0");
    }
}

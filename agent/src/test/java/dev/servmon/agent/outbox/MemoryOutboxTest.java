package dev.servmon.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.agent.LogCapture;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MemoryOutboxTest {

    @Test
    void samples_come_out_oldest_first_and_leave_only_when_acknowledged() {
        MemoryOutbox outbox = new MemoryOutbox(10);
        for (long seq = 1; seq <= 5; seq++) {
            add(outbox, seq);
        }

        assertThat(outbox.oldest(3, Integer.MAX_VALUE)).extracting(Outbox.Entry::seq).containsExactly(1L, 2L, 3L);
        assertThat(outbox.oldest(3, Integer.MAX_VALUE)).extracting(Outbox.Entry::seq).containsExactly(1L, 2L, 3L);
        assertThat(outbox.removeThrough(3)).isEqualTo(3);
        assertThat(outbox.oldest(10, Integer.MAX_VALUE)).extracting(Outbox.Entry::seq).containsExactly(4L, 5L);
        assertThat(outbox.removeThrough(3)).isZero();
        assertThat(outbox.size()).isEqualTo(2);
    }

    @Test
    void a_full_outbox_drops_the_oldest_counts_it_and_warns() {
        MemoryOutbox outbox = new MemoryOutbox(3);
        try (LogCapture logs = LogCapture.of(MemoryOutbox.class)) {
            for (long seq = 1; seq <= 5; seq++) {
                add(outbox, seq);
            }

            assertThat(outbox.oldest(10, Integer.MAX_VALUE)).extracting(Outbox.Entry::seq).containsExactly(3L, 4L, 5L);
            assertThat(outbox.droppedCount()).isEqualTo(2);
            // The first drop warns; the next within a minute does not flood the log.
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("WARN")).singleElement()
                    .asString().contains("outbox full (3 samples").contains("seq 1");
        }
    }

    @Test
    void a_sample_not_newer_than_the_newest_is_refused() {
        MemoryOutbox outbox = new MemoryOutbox(3);
        add(outbox, 5);

        assertThatThrownBy(() -> add(outbox, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_batch_stops_at_the_byte_budget_but_always_holds_one_sample() {
        MemoryOutbox outbox = new MemoryOutbox(10);
        for (long seq = 1; seq <= 5; seq++) {
            add(outbox, seq); // {"seq":N} is 9 bytes, plus a comma each in a batch
        }

        assertThat(outbox.oldest(10, 20)).extracting(Outbox.Entry::seq).containsExactly(1L, 2L);
        assertThat(outbox.oldest(10, 1)).extracting(Outbox.Entry::seq).containsExactly(1L);
    }

    static void add(Outbox outbox, long seq) {
        outbox.add(seq, seq * 1000, ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
    }
}

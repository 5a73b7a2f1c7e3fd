package dev.servmon.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.agent.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceFileTest {
    private static final long NOW_MS = 1_700_000_000_000L;

    @Test
    void a_fresh_state_dir_starts_numbering_at_the_clock(@TempDir Path dir) throws IOException {
        SequenceFile seq = SequenceFile.open(dir.resolve("seq"), () -> NOW_MS);

        assertThat(seq.next()).isEqualTo(NOW_MS);
        assertThat(seq.next()).isEqualTo(NOW_MS + 1);
    }

    @Test
    void a_restart_continues_above_every_number_handed_out_before(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("seq");
        SequenceFile first = SequenceFile.open(file, () -> NOW_MS);
        long last = 0;
        for (int i = 0; i < 2500; i++) {
            last = first.next();
        }

        // Same clock reading (or an earlier one: the clock was set back) after the restart.
        SequenceFile second = SequenceFile.open(file, () -> NOW_MS - 60_000);

        assertThat(second.next()).isGreaterThan(last);
    }

    @Test
    void the_file_is_written_once_per_block_not_once_per_number(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("seq");
        SequenceFile seq = SequenceFile.open(file, () -> NOW_MS);
        assertThat(Files.readString(file).strip()).isEqualTo(Long.toString(NOW_MS + SequenceFile.BLOCK));

        for (int i = 0; i < SequenceFile.BLOCK; i++) {
            seq.next();
        }
        assertThat(Files.readString(file).strip()).isEqualTo(Long.toString(NOW_MS + SequenceFile.BLOCK));

        seq.next();
        assertThat(Files.readString(file).strip()).isEqualTo(Long.toString(NOW_MS + 2 * SequenceFile.BLOCK));
    }

    @Test
    void a_clock_ahead_of_the_stored_mark_wins_so_a_restored_old_backup_cannot_repeat_numbers(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("seq");
        Files.writeString(file, "5000\n");

        assertThat(SequenceFile.open(file, () -> NOW_MS).next()).isEqualTo(NOW_MS);
    }

    @Test
    void a_corrupt_file_restarts_from_the_clock_with_a_warning(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("seq");
        Files.writeString(file, "12x4\n");
        SequenceFile seq;
        try (LogCapture logs = LogCapture.of(SequenceFile.class)) {
            seq = SequenceFile.open(file, () -> NOW_MS);

            assertThat(logs.lines()).anySatisfy(line -> assertThat(line)
                    .startsWith("WARN").contains(file.toString()).contains("unreadable").contains("clock"));
        }
        assertThat(seq.next()).isEqualTo(NOW_MS);
        assertThat(Files.readString(file).strip()).isEqualTo(Long.toString(NOW_MS + SequenceFile.BLOCK));
    }

    @Test
    void numbers_stay_increasing_when_the_clock_jumps_back_while_running(@TempDir Path dir) throws IOException {
        AtomicLong clock = new AtomicLong(NOW_MS);
        SequenceFile seq = SequenceFile.open(dir.resolve("seq"), clock::get);
        long a = seq.next();
        clock.set(NOW_MS - 3_600_000);

        assertThat(seq.next()).isGreaterThan(a);
    }

    @Test
    void a_state_dir_that_cannot_be_written_fails_at_open(@TempDir Path dir) throws IOException {
        Path notADir = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> SequenceFile.open(notADir.resolve("seq"), () -> NOW_MS)).isInstanceOf(IOException.class);
    }
}

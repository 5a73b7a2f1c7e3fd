package dev.servmon.app.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void the_bar_shows_share_counts_rate_and_time_left() {
        assertThat(ProgressBar.render(450, 1000, 9.0, "hosts"))
                .isEqualTo("[==============>               ]  45%  450 / 1,000 rows  50 rows/s  ETA 0:11  hosts");
        assertThat(ProgressBar.render(0, 1000, 0, "users")).startsWith("[>").contains("ETA --:--");
        assertThat(ProgressBar.render(1000, 1000, 2, "done")).startsWith("[==============================] 100%").contains("ETA 0:00");
        assertThat(ProgressBar.render(0, 0, 1, "done")).contains("100%");
        assertThat(ProgressBar.duration(3725)).isEqualTo("1:02:05");
    }

    @Test
    void without_a_terminal_it_prints_a_line_every_few_seconds_not_every_batch() {
        var out = new ByteArrayOutputStream();
        var now = new AtomicLong();
        var bar = new ProgressBar(new PrintStream(out, true, StandardCharsets.UTF_8), 10_000, false, now::get);
        for (int i = 1; i <= 100; i++) {
            now.addAndGet(100_000_000L); // 0.1 s per batch
            bar.update(i * 100L, "sample_head");
        }
        bar.finish(10_000);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.lines().count()).isEqualTo(3); // at 5 s, at 10 s, and the final line
        assertThat(text).doesNotContain("\r").endsWith("100%  10,000 / 10,000 rows  1,000 rows/s  ETA 0:00  done\n");
    }
}

package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servmon.agent.Fixtures;
import dev.servmon.protocol.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessScannerTest {
    private static final long ONE_SECOND = 1_000_000_000L;

    @Test
    void the_first_scan_lists_memory_leaders_without_cpu_and_the_next_has_cpu_shares(@TempDir Path dir) throws Exception {
        Path proc = Fixtures.copyTree("this-vm/proc-scan.1", dir.resolve("proc"));
        AtomicLong clock = new AtomicLong(0);
        ProcessScanner scanner = new ProcessScanner(proc, Fixtures.path("this-vm/etc/passwd"), 10, clock::get);

        List<Sample.Process> first = scanner.scan();
        Fixtures.copyTree("this-vm/proc-scan.2", dir.resolve("proc-next"));
        for (String pid : List.of("1", "2", "15", "22013", "22031")) {
            Files.copy(dir.resolve("proc-next").resolve(pid).resolve("stat"), proc.resolve(pid).resolve("stat"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        clock.set(ONE_SECOND);
        List<Sample.Process> second = scanner.scan();

        // Kernel threads hold no pages: they are not memory leaders.
        assertThat(first).containsExactly(
                new Sample.Process(1, "process_api", "root", null, 14652L * 1024),
                new Sample.Process(22013, "a) (b c", "cloudsdk", null, 1828L * 1024),
                new Sample.Process(22031, "sh", "cloudsdk", null, 1636L * 1024));
        // The shell used 65 ticks and process_api 1 in the second; then the memory leaders not yet listed.
        assertThat(second).extracting(Sample.Process::pid).containsExactly(22031L, 1L, 22013L);
        assertThat(second.get(0).cpuPercent()).isCloseTo(65.0, within(1e-9));
        assertThat(second.get(1).cpuPercent()).isCloseTo(1.0, within(1e-9));
        assertThat(second.get(2).cpuPercent()).isZero();
    }

    @Test
    void top_lists_are_cut_at_n_and_their_union_has_no_duplicates(@TempDir Path dir) throws Exception {
        Path proc = Fixtures.copyTree("this-vm/proc-scan.1", dir.resolve("proc"));
        AtomicLong clock = new AtomicLong(0);
        ProcessScanner scanner = new ProcessScanner(proc, dir.resolve("no-passwd"), 1, clock::get);
        scanner.scan();
        Fixtures.copyTree("this-vm/proc-scan.2", dir.resolve("next"));
        Files.copy(dir.resolve("next/22031/stat"), proc.resolve("22031/stat"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        clock.set(2 * ONE_SECOND);

        List<Sample.Process> top = scanner.scan();

        // Top 1 by CPU (the shell, 65 ticks in 2 s) and top 1 by memory (process_api); no passwd: numeric users.
        assertThat(top).extracting(Sample.Process::pid).containsExactly(22031L, 1L);
        assertThat(top.get(0).cpuPercent()).isCloseTo(32.5, within(1e-9));
        assertThat(top.get(0).user()).isEqualTo("1000");
    }

    @Test
    void a_new_process_or_a_reused_pid_counts_all_its_cpu_time_in_the_window(@TempDir Path dir) throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        process(proc, 100, "old", 50, 1000);
        AtomicLong clock = new AtomicLong(0);
        ProcessScanner scanner = new ProcessScanner(proc, dir.resolve("passwd"), 5, clock::get);
        scanner.scan();
        process(proc, 100, "reused", 30, 9000);
        process(proc, 200, "new", 20, 9100);
        clock.set(ONE_SECOND);

        List<Sample.Process> top = scanner.scan();

        assertThat(top).extracting(Sample.Process::name).containsExactly("reused", "new");
        assertThat(top).extracting(Sample.Process::cpuPercent).containsExactly(30.0, 20.0);
    }

    @Test
    void a_process_that_exits_between_listing_and_reading_is_skipped(@TempDir Path dir) throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        process(proc, 100, "alive", 10, 1000);
        Files.createDirectories(proc.resolve("101")); // listed, files already gone
        Files.createDirectories(proc.resolve("self"));

        assertThat(new ProcessScanner(proc, dir.resolve("passwd"), 5).scan()).extracting(Sample.Process::name).containsExactly("alive");
    }

    @Test
    void the_largest_positive_values_come_first() {
        long[] values = {5, 0, 9, -1, 7, 9, 3};
        int[] out = new int[3];

        assertThat(ProcessScanner.largest(values, values.length, out)).isEqualTo(3);
        assertThat(out).containsExactly(2, 5, 4);
        assertThat(ProcessScanner.largest(new long[] {0, -1}, 2, out)).isZero();
    }

    @Test
    void top_n_outside_1_to_100_is_refused(@TempDir Path dir) {
        assertThatThrownBy(() -> new ProcessScanner(dir, dir, 0)).hasMessageContaining("between 1 and 100");
        assertThatThrownBy(() -> new ProcessScanner(dir, dir, 101)).hasMessageContaining("got 101");
    }

    /** A process with {@code ticks} of CPU time, started at {@code start}, 10 resident pages. */
    private static void process(Path proc, int pid, String name, long ticks, long start) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.writeString(dir.resolve("stat"), pid + " (" + name + ") S 1 1 1 0 -1 0 0 0 0 0 " + ticks + " 0 0 0 20 0 1 0 " + start
                + " 1000 10 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n");
        Files.writeString(dir.resolve("status"), "Name:\t" + name + "\nUid:\t0\t0\t0\t0\nVmRSS:\t      40 kB\n");
    }
}

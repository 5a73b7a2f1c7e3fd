package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.servmon.agent.Fixtures;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxCollectorTest {

    @Test
    void samples_of_this_machine_have_plausible_figures_from_the_first_call() throws Exception {
        assumeTrue(LinuxCollector.isSupported(), "needs Linux /proc");
        LinuxCollector collector = new LinuxCollector();

        Sample first = collector.collect(7, 1_700_000_000_000L);
        Thread.sleep(300); // rates need clock ticks (10 ms each) to pass between calls
        Sample second = collector.collect(8, 1_700_000_010_000L);

        for (Sample s : List.of(first, second)) {
            assertThat(s.cpu().percent()).isNotNull().isBetween(0.0, 100.0);
            assertThat(s.cpu().perCorePercent()).hasSize(Runtime.getRuntime().availableProcessors())
                    .allSatisfy(p -> assertThat(p).isBetween(0.0, 100.0));
            assertThat(s.cpu().load1()).isNotNull().isGreaterThanOrEqualTo(0.0);
            assertThat(s.memory().totalBytes()).isPositive();
            assertThat(s.memory().usedBytes()).isBetween(0L, s.memory().totalBytes());
            assertThat(s.filesystems()).isNotEmpty()
                    .allSatisfy(fs -> assertThat(fs.usedBytes()).isBetween(0L, fs.totalBytes()));
            assertThat(s.network()).extracting(Sample.NetInterface::name).doesNotContain("lo");
            assertThat(s.network()).allSatisfy(n -> assertThat(n.rxBytesPerSec()).isGreaterThanOrEqualTo(0));
            assertThat(s.uptimeSeconds()).isPositive();
            assertThat(s.powerWatts()).isNull();
        }
        assertThat(first.seq()).isEqualTo(7);
        assertThat(first.atMs()).isEqualTo(1_700_000_000_000L);
        boolean hasUtmp = Files.exists(Path.of("/run/utmp")) || Files.exists(Path.of("/var/run/utmp"));
        assertThat(first.usersLoggedIn() == null).isEqualTo(!hasUtmp);
    }

    @Test
    void rates_are_measured_between_consecutive_calls_over_a_captured_proc(@TempDir Path dir) throws Exception {
        Path proc = fakeProc(dir);
        Path utmp = dir.resolve("utmp");
        Files.write(utmp, UtmpTest.utmp(ByteOrder.nativeOrder(),
                UtmpTest.record(Utmp.USER_PROCESS, 10, "pts/0", "alice", ByteOrder.nativeOrder()),
                UtmpTest.record(Utmp.USER_PROCESS, 11, "pts/1", "bob", ByteOrder.nativeOrder())));
        LinuxCollector collector = new LinuxCollector(proc, List.of(dir.resolve("missing-utmp"), utmp));

        Sample primed = collector.collect(1, 1000);
        Files.writeString(proc.resolve("stat"), Fixtures.text("this-vm/stat.2"));
        Files.writeString(proc.resolve("net/dev"), Fixtures.text("this-vm/net-dev.2"));
        Sample next = collector.collect(2, 2000);

        // The priming read saw the same /proc/stat twice: no ticks, so no made-up figure.
        assertThat(primed.cpu().percent()).isNull();
        assertThat(next.cpu().percent()).isCloseTo(100.0 * (771 - 37) / 771, within(1e-9));
        assertThat(next.cpu().perCorePercent()).hasSize(2);
        assertThat(next.cpu().load1()).isEqualTo(1.12);
        assertThat(next.memory().totalBytes()).isEqualTo(24684084L * 1024);
        assertThat(next.uptimeSeconds()).isEqualTo(8640);
        assertThat(next.usersLoggedIn()).isEqualTo(2);
        assertThat(next.network()).extracting(Sample.NetInterface::name).containsExactly("ifb0", "ifb1", "eth0");
        assertThat(next.filesystems()).extracting(Sample.Filesystem::mount).containsExactly("/");
    }

    @Test
    void a_missing_source_costs_only_its_own_figures(@TempDir Path dir) throws Exception {
        Path proc = fakeProc(dir);
        Files.delete(proc.resolve("meminfo"));
        Files.writeString(proc.resolve("loadavg"), "garbage");
        LinuxCollector collector = new LinuxCollector(proc, List.of(dir.resolve("no-utmp")));

        Sample s = collector.collect(1, 1000);

        assertThat(s.memory()).isNull();
        assertThat(s.cpu().load1()).isNull();
        assertThat(s.usersLoggedIn()).as("no utmp file: unknown, not 0").isNull();
        assertThat(s.uptimeSeconds()).isEqualTo(8640);
    }

    private static Path fakeProc(Path dir) throws IOException {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Files.createDirectories(proc.resolve("net"));
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("stat"), Fixtures.text("this-vm/stat.1"));
        Files.writeString(proc.resolve("net/dev"), Fixtures.text("this-vm/net-dev.1"));
        Files.writeString(proc.resolve("meminfo"), Fixtures.text("this-vm/meminfo"));
        Files.writeString(proc.resolve("loadavg"), Fixtures.text("this-vm/loadavg"));
        Files.writeString(proc.resolve("uptime"), Fixtures.text("this-vm/uptime"));
        Files.writeString(proc.resolve("self/mountinfo"), Fixtures.text("this-vm/mountinfo"));
        return proc;
    }
}

package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.protocol.Sample;
import org.junit.jupiter.api.Test;

/** OSHI runs on Linux too, so the fallback collector is exercised here on real data. */
class OshiCollectorTest {

    @Test
    void oshi_samples_of_this_machine_have_plausible_figures_from_the_first_call() throws Exception {
        OshiCollector collector = new OshiCollector();

        Sample first = collector.collect(1, 1000);
        Thread.sleep(300); // rates need clock ticks (10 ms each) to pass between calls
        Sample second = collector.collect(2, 2000);

        for (Sample s : new Sample[] {first, second}) {
            assertThat(s.cpu().percent()).isNotNull().isBetween(0.0, 100.0);
            assertThat(s.cpu().perCorePercent()).allSatisfy(p -> assertThat(p).isBetween(0.0, 100.0));
            assertThat(s.memory().totalBytes()).isPositive();
            assertThat(s.memory().usedBytes()).isBetween(0L, s.memory().totalBytes());
            assertThat(s.filesystems()).allSatisfy(fs -> assertThat(fs.usedBytes()).isBetween(0L, fs.totalBytes()));
            assertThat(s.network()).extracting(Sample.NetInterface::name).doesNotContain("lo");
            assertThat(s.uptimeSeconds()).isPositive();
            assertThat(s.powerWatts()).isNull();
            assertThat(s.cpu().userPercent()).isNotNull().isBetween(0.0, 100.0);
            assertThat(s.cpu().perCore()).hasSameSizeAs(s.cpu().perCorePercent());
            assertThat(s.bootTimeMs()).isNotNull().isLessThan(System.currentTimeMillis());
            assertThat(s.filesystems()).allSatisfy(fs -> assertThat(fs.freeBytes()).isBetween(0L, fs.totalBytes()));
            assertThat(s.disks()).allSatisfy(d -> assertThat(d.readBytesPerSec()).isGreaterThanOrEqualTo(0));
            assertThat(s.network()).allSatisfy(n -> assertThat(n.txDropsPerSec()).as("OSHI has no transmit drops").isNull());
        }
        assertThat(first.processes()).isNotEmpty().allSatisfy(p -> assertThat(p.name()).isNotNull());
        assertThat(second.processes()).as("the next scan is 30 s away").isEmpty();
        assertThat(first.inventory()).isNotNull();
        assertThat(first.inventory().cpuCores()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(first.inventory().memTotalBytes()).isEqualTo(first.memory().totalBytes());
        assertThat(second.inventory()).isNull();
    }
}

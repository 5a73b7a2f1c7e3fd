package dev.servmon.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.protocol.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricCatalogTest {
    private static Sample sample(List<Sample.Filesystem> filesystems, List<Sample.Gpu> gpus) {
        return new Sample(7, 1_000, new Sample.Cpu(30.0, List.of(10.0, 50.0), 0.5, null, Double.NaN),
                new Sample.Memory(8L << 30, 3L << 30, 5L << 30, null, null),
                filesystems, List.of(new Sample.NetInterface("eth0", 100, 50), new Sample.NetInterface("lo", 7, 7)),
                null, 2, null, null, null, null, null, gpus, null, null, null, null);
    }

    @Test
    void a_sample_becomes_host_wide_and_per_instance_series_leaving_out_what_was_not_read() {
        RawSample r = MetricCatalog.flatten(sample(List.of(new Sample.Filesystem("/", "ext4", 100, 40),
                new Sample.Filesystem("/data", "xfs", 200, 50)), List.of()));

        assertThat(r.seq()).isEqualTo(7);
        assertThat(r.names()).containsExactly("cpu", "cpu_core:0", "cpu_core:1", "load1", "mem_used", "mem_available", "mem_total",
                "fs_used:/", "fs_total:/", "fs_used:/data", "fs_total:/data", "fs_used", "fs_total",
                "net_rx:eth0", "net_tx:eth0", "net_rx:lo", "net_tx:lo", "net_rx", "net_tx", "users");
        assertThat(r.value("cpu_core:1")).isEqualTo(50.0);
        assertThat(r.value("fs_used")).isEqualTo(90.0);
        assertThat(r.value("net_rx")).as("loopback left out of the total").isEqualTo(100.0);
        assertThat(r.value("load15")).as("NaN is not stored").isNaN();
    }

    @Test
    void a_name_the_agent_repeats_is_stored_once_with_its_first_value_and_absurd_names_are_dropped() {
        RawSample r = MetricCatalog.flatten(sample(List.of(new Sample.Filesystem("/", "ext4", 100, 40),
                new Sample.Filesystem("/", "ext4", 999, 999), new Sample.Filesystem("/" + "x".repeat(300), "ext4", 1, 1)),
                List.of(new Sample.Gpu(0, "a", 10.0, null, null, null, null), new Sample.Gpu(0, "b", 90.0, null, null, null, null))));

        assertThat(r.names()).doesNotHaveDuplicates();
        assertThat(r.value("fs_used:/")).isEqualTo(40.0);
        assertThat(r.value("gpu_util:0")).isEqualTo(10.0);
        assertThat(r.names()).noneMatch(n -> n.length() > RawSample.MAX_NAME_LENGTH);
        assertThat(r.value("fs_used")).as("the totals still count every filesystem").isEqualTo(1040.0);
    }

    @Test
    void instance_names_are_the_same_on_every_report() {
        var fs = List.of(new Sample.Filesystem("/srv", "ext4", 1, 1));
        RawSample a = MetricCatalog.flatten(sample(fs, List.of()));
        RawSample b = MetricCatalog.flatten(sample(fs, List.of()));

        assertThat(a.names()).containsExactly(b.names());
        assertThat(MetricCatalog.series("fs_used", "/srv")).isEqualTo("fs_used:/srv");
    }
}

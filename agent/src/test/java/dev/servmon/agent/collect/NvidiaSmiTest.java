package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.agent.Fixtures;
import dev.servmon.protocol.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class NvidiaSmiTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void every_gpu_of_a_datacenter_node_is_parsed_with_memory_in_bytes() {
        List<Sample.Gpu> gpus = NvidiaSmi.parse(Fixtures.text("documented/nvidia-smi-datacenter.csv"));

        assertThat(gpus).hasSize(4);
        assertThat(gpus.get(1)).isEqualTo(new Sample.Gpu(1, "NVIDIA A100-SXM4-80GB", 97.0, 71234 * MIB, 81920 * MIB, 388.45, 67.0));
        assertThat(gpus).extracting(Sample.Gpu::index).containsExactly(0, 1, 2, 3);
    }

    @Test
    void fields_a_consumer_gpu_does_not_report_are_null_and_windows_line_ends_are_fine() {
        List<Sample.Gpu> gpus = NvidiaSmi.parse(Fixtures.text("documented/nvidia-smi-geforce-windows.csv"));

        assertThat(gpus).containsExactly(
                new Sample.Gpu(0, "NVIDIA GeForce GTX 1050 Ti with Max-Q Design", 12.0, 698 * MIB, 4096 * MIB, null, 48.0),
                new Sample.Gpu(1, "NVIDIA GeForce GT 710", null, 310 * MIB, 2048 * MIB, null, 39.0));
    }

    @Test
    void a_name_with_a_comma_keeps_its_fields_in_place() {
        List<Sample.Gpu> gpus = NvidiaSmi.parse("0, Quadro RTX 4000, Mobile, 1, 100, 8192, 20.5, 50\n");

        assertThat(gpus.get(0).name()).isEqualTo("Quadro RTX 4000, Mobile");
        assertThat(gpus.get(0).powerWatts()).isEqualTo(20.5);
    }

    @Test
    void output_that_is_not_the_queried_csv_is_rejected() {
        assertThatThrownBy(() -> NvidiaSmi.parse("No devices were found\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No devices were found");
        assertThatThrownBy(() -> NvidiaSmi.parse("0, X, lots, 1, 2, 3, 4\n")).isInstanceOf(IllegalArgumentException.class);
        assertThat(NvidiaSmi.parse("")).isEmpty();
    }
}

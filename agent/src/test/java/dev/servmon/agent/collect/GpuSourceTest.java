package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.agent.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuSourceTest {

    @Test
    void without_nvidia_smi_on_the_path_there_is_no_gpu_source(@TempDir Path dir) {
        assertThat(GpuSource.find(dir.toString())).isNull();
        assertThat(GpuSource.find(null)).isNull();
    }

    @Test
    void nvidia_smi_is_run_with_the_query_and_its_csv_parsed(@TempDir Path dir) throws Exception {
        Path args = dir.resolve("args");
        tool(dir, "echo \"$@\" > '" + args + "'\ncat '" + Fixtures.path("documented/nvidia-smi-datacenter.csv") + "'");

        assertThat(GpuSource.find(dir.toString()).read(1000)).hasSize(4);
        assertThat(Files.readString(args).trim()).isEqualTo("--query-gpu=" + NvidiaSmi.QUERY + " --format=csv,noheader,nounits");
    }

    @Test
    void after_a_failure_gpus_are_not_asked_for_a_minute(@TempDir Path dir) throws Exception {
        Path calls = dir.resolve("calls");
        tool(dir, "echo x >> '" + calls + "'\necho 'NVIDIA-SMI has failed'\nexit 9");
        GpuSource gpu = GpuSource.find(dir.toString());

        assertThatThrownBy(() -> gpu.read(1_000_000)).isInstanceOf(IOException.class).hasMessageContaining("NVIDIA-SMI has failed");
        assertThat(gpu.read(1_010_000)).isNull();
        assertThat(gpu.read(1_050_000)).isNull();
        assertThat(Files.readAllLines(calls)).hasSize(1);
        assertThatThrownBy(() -> gpu.read(1_060_000)).isInstanceOf(IOException.class);
        assertThat(Files.readAllLines(calls)).hasSize(2);
    }

    private static void tool(Path dir, String body) throws IOException {
        Path script = dir.resolve("nvidia-smi");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}

package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandTest {

    @Test
    void a_tool_is_found_in_the_first_path_directory_that_has_it_as_an_executable(@TempDir Path dir) throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("tool"), "not executable");
        Path tool = script(b.resolve("tool"), "exit 0");

        assertThat(Command.find("tool", a + ":" + b)).isEqualTo(tool);
        assertThat(Command.find("other", a + ":" + b)).isNull();
        assertThat(Command.find("tool", null)).isNull();
    }

    @Test
    void the_output_of_a_tool_is_returned(@TempDir Path dir) throws Exception {
        Path tool = script(dir.resolve("tool"), "echo \"one $1\"; echo two");

        assertThat(Command.run(List.of(tool.toString(), "arg"), Duration.ofSeconds(5))).isEqualTo("one arg\ntwo\n");
    }

    @Test
    void a_failing_tool_reports_its_status_and_first_line(@TempDir Path dir) throws Exception {
        Path tool = script(dir.resolve("nvidia-smi"), "echo 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'; exit 9");

        assertThatThrownBy(() -> Command.run(List.of(tool.toString()), Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exited with status 9")
                .hasMessageContaining("could not communicate");
    }

    @Test
    void a_hung_tool_is_killed_at_the_timeout(@TempDir Path dir) throws Exception {
        Path tool = script(dir.resolve("hung"), "exec sleep 30");
        long start = System.nanoTime();

        assertThatThrownBy(() -> Command.run(List.of(tool.toString()), Duration.ofMillis(300)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("did not answer within 300 ms");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    }

    private static Path script(Path path, String body) throws IOException {
        Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }
}

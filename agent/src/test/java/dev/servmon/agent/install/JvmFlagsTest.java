package dev.servmon.agent.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JvmFlagsTest {
    /**
     * The unit passes -XX:+IgnoreUnrecognizedVMOptions so that a future JDK without one of the
     * diagnostic options still starts the agent; without it here, a misspelt flag fails.
     */
    @Test
    void this_jdk_knows_every_flag_and_starts_with_them() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        JvmFlags.SMALL_FOOTPRINT.stream().filter(f -> !f.equals("-XX:+IgnoreUnrecognizedVMOptions")).forEach(cmd::add);
        cmd.add("-version");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        for (String variable : JvmFlags.ENVIRONMENT) {
            int eq = variable.indexOf('=');
            pb.environment().put(variable.substring(0, eq), variable.substring(eq + 1));
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).doesNotContainIgnoringCase("warning").doesNotContain("Unrecognized").doesNotContain("Ignoring");
    }

    @Test
    void the_environment_is_name_equals_value() {
        assertThat(JvmFlags.ENVIRONMENT).allSatisfy(v -> assertThat(v).matches("[A-Z_]+=[^ ]+"));
    }
}

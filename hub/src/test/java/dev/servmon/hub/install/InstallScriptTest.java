package dev.servmon.hub.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InstallScriptTest {
    @Test
    void values_are_single_quoted_so_the_shell_takes_them_literally() throws Exception {
        String hostile = "http://x'; touch /tmp/servmon-pwned; echo '$(id) `id` \\";
        String script = InstallScript.render(hostile, "ab12");
        String hubLine = script.lines().filter(l -> l.startsWith("HUB=")).findFirst().orElseThrow();

        Process p = new ProcessBuilder("sh", "-c", hubLine + "; printf %s \"$HUB\"").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(out).isEqualTo(hostile);
        assertThat(InstallScript.shellQuote("a'b")).isEqualTo("'a'\\''b'");
        assertThat(script).contains("\nJAR_SHA256='ab12'\n");
    }
}

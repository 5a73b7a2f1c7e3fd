package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CollectorsTest {

    @Test
    void linux_gets_the_proc_collector() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && LinuxCollector.isSupported());

        assertThat(Collectors.forThisOs()).isInstanceOf(LinuxCollector.class);
    }

    /**
     * OSHI and JNA cost about 30 MB; on Linux not one of their classes may be loaded. Checked in
     * a fresh JVM with class-load logging, since this test JVM has loaded OSHI for other tests.
     */
    @Test
    void on_linux_taking_samples_never_loads_oshi_or_jna() throws IOException, InterruptedException {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && LinuxCollector.isSupported());
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info", "-cp", classPath, CollectOnceMain.class.getName())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("collected with LinuxCollector")
                .contains("dev.servmon.agent.collect.LinuxCollector")
                .doesNotContain(" oshi.")
                .doesNotContain("com.sun.jna")
                .doesNotContain("dev.servmon.agent.collect.OshiCollector");
    }

    /** Run in the child JVM of the test above. */
    static final class CollectOnceMain {
        public static void main(String[] args) throws InterruptedException {
            Collector c = Collectors.forThisOs();
            List<Double> perCore = c.collect(1, System.currentTimeMillis()).cpu().perCorePercent();
            System.out.println("collected with " + c.getClass().getSimpleName() + ", " + perCore.size() + " cores");
        }
    }
}

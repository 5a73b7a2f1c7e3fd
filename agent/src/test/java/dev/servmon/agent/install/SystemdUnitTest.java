package dev.servmon.agent.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdUnitTest {
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    static final SystemdUnit.Spec SPEC = new SystemdUnit.Spec("servmon", JAVA, JvmFlags.ENVIRONMENT, JvmFlags.SMALL_FOOTPRINT,
            Path.of("/opt/servmon/servmon-agent.jar"), Path.of("/etc/servmon/agent.conf"), Path.of("/var/lib/servmon-agent"));

    @Test
    void the_unit_runs_the_jar_with_the_small_footprint_flags_as_the_service_user() {
        String unit = SystemdUnit.render(SPEC);

        assertThat(unit).contains("\nUser=servmon\n");
        assertThat(unit).contains("\nEnvironment=MALLOC_ARENA_MAX=1\nExecStart=" + JAVA + " -XX:+UseSerialGC -Xms4m -Xmx16m -Xmn1m "
                + "-Xss256k -Xshare:off -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=8m -XX:-UsePerfData "
                + "-XX:+ExitOnOutOfMemoryError -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockDiagnosticVMOptions "
                + "-XX:GuaranteedSafepointInterval=0 -XX:AsyncDeflationInterval=10000 "
                + "-jar /opt/servmon/servmon-agent.jar --config /etc/servmon/agent.conf\n");
        assertThat(unit).contains("\nRestart=always\n", "\nRestartPreventExitStatus=2 3\n", "\nSuccessExitStatus=143\n", "\nKillMode=process\n",
                "\nWantedBy=multi-user.target\n", "\nAfter=network-online.target\n");
    }

    @Test
    void the_unit_confines_the_service_to_its_state_dir() {
        String unit = SystemdUnit.render(SPEC);

        assertThat(unit).contains("\nNoNewPrivileges=yes\n", "\nProtectSystem=strict\n", "\nReadWritePaths=/var/lib/servmon-agent\n",
                "\nProtectHome=read-only\n", "\nPrivateTmp=yes\n", "\nCapabilityBoundingSet=\n", "\nUMask=0077\n");
        assertThat(unit).as("the JIT needs writable code memory").doesNotContain("\nMemoryDenyWriteExecute=");
    }

    @Test
    void only_the_privileged_pre_start_line_grants_the_service_group_the_rapl_counters() {
        String unit = SystemdUnit.render(SPEC);

        List<String> privileged = unit.lines().filter(l -> l.matches("Exec\\w*=[-@:]*[+!].*")).toList();
        assertThat(privileged).containsExactly("ExecStartPre=-+/bin/sh -c 'for f in /sys/class/powercap/*/energy_uj; do "
                + "[ -e \"$$f\" ] && chgrp servmon \"$$f\" && chmod g+r \"$$f\"; done; exit 0'");
    }

    @Test
    void exec_words_with_systemd_syntax_are_escaped() {
        assertThat(SystemdUnit.quote("/usr/bin/java")).isEqualTo("/usr/bin/java");
        assertThat(SystemdUnit.quote("-Dx=50%")).isEqualTo("-Dx=50%%");
        assertThat(SystemdUnit.quote("$HOME")).isEqualTo("$$HOME");
        assertThat(SystemdUnit.quote("/opt/my java/bin/java")).isEqualTo("\"/opt/my java/bin/java\"");
        assertThat(SystemdUnit.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    @Test
    void the_jar_of_a_rendered_unit_is_read_back_for_uninstall() {
        assertThat(SystemdUnit.jarOf(SystemdUnit.render(SPEC))).isEqualTo(Path.of("/opt/servmon/servmon-agent.jar"));
        assertThat(SystemdUnit.jarOf("[Service]\nExecStart=/bin/true\n")).isNull();
    }

    /** systemd's own checker, where it is installed (Debian: package systemd, even without systemd running). */
    @Test
    void systemd_analyze_accepts_the_unit_without_a_warning(@TempDir Path dir) throws IOException, InterruptedException {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        Path unit = Files.writeString(dir.resolve("servmon-agent.service"), SystemdUnit.render(SPEC));

        Process p = new ProcessBuilder(analyze.toString(), "verify", "--man=no", unit.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).as("warnings from systemd-analyze verify").isBlank();
    }
}

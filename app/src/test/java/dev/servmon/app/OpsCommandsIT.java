package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code servmon simulate}, {@code backup} and {@code restore} as processes, against a hub process. */
class OpsCommandsIT {
    @Test
    void twenty_simulated_hosts_report_and_a_running_hub_is_backed_up_but_never_restored_over(@TempDir Path tmp) throws Exception {
        Path acked = tmp.resolve("acked.txt");
        try (var hub = HubProcess.start(tmp.resolve("hub"))) {
            try (var sim = ServmonProcess.start(Map.of("SERVMON_ADMIN_PASSWORD", HubProcess.ADMIN_PASSWORD), "simulate", "--hosts", "20",
                    "--interval", "1", "--duration", "5", "--hub", hub.ingestUrl(), "--api-url", hub.apiUrl(), "--acked-log", acked.toString(),
                    "--progress-every", "2")) {
                int code = sim.awaitExit(Duration.ofSeconds(120));
                assertThat(code).as(sim.stdout() + sim.stderr()).isZero();
                assertThat(sim.stdout()).contains("registered 20 hosts", "20 hosts every 1 s", "reports/s", "achieved", "ack latency   p50");
            }
            var stored = hub.storedSeqsByHost();
            Set<String> names = IntStream.rangeClosed(1, 20).mapToObj(i -> String.format("sim-%05d", i)).collect(Collectors.toSet());
            assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(names);
            assertThat(stored.values()).as("5 s at 1 s per report: every host stored several samples").allMatch(seqs -> seqs.size() >= 2);
            var ackedLines = Files.readAllLines(acked);
            assertThat(ackedLines).hasSizeGreaterThanOrEqualTo(40);
            for (String line : ackedLines) {
                String[] hostSeq = line.split(" ");
                assertThat(stored.get(hostSeq[0])).as(line).contains(Long.parseLong(hostSeq[1]));
            }

            Path backupFile = tmp.resolve("servmon-backup.db");
            try (var backup = ServmonProcess.start("backup", "--data", hub.data().toString(), "--to", backupFile.toString())) {
                assertThat(backup.awaitExit(Duration.ofSeconds(60))).as(backup.stderr()).isZero();
                assertThat(backup.stdout()).contains("backup: " + backupFile, "20 hosts");
            }
            try (var restore = ServmonProcess.start("restore", "--from", backupFile.toString(), "--data", hub.data().toString())) {
                assertThat(restore.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
                assertThat(restore.stderr()).contains("in use by a running servmon (pid " + hub.pid() + ")", "stop that hub first");
            }
        }
    }
}

package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the hub while the simulator keeps 200 hosts reporting every second (the writer
 * commits one transaction of many batches after the other; on a busy machine up to 100 requests
 * wait for theirs): after a restart on the same data directory, every sample the hub
 * acknowledged before dying is there. The simulator logs each acknowledged (host, seq) only after
 * the 200 answer arrived.
 */
class HubCrashIT {
    @Test
    void every_acknowledged_sample_survives_kill_9_during_batched_writes(@TempDir Path tmp) throws Exception {
        Path acked = tmp.resolve("acked.txt");
        try (var hub = HubProcess.start(tmp.resolve("hub"));
             var sim = ServmonProcess.start(Map.of("SERVMON_ADMIN_PASSWORD", HubProcess.ADMIN_PASSWORD), "simulate", "--hosts", "200",
                     "--interval", "1", "--duration", "20", "--concurrency", "100", "--hub", hub.ingestUrl(), "--api-url", hub.apiUrl(),
                     "--acked-log", acked.toString(), "--progress-every", "1")) {
            // Kill once the hub has acknowledged 100 reports or more, then start the hub again on the same directory.
            sim.awaitStdout("simulate: +\\d+ s +sent [\\d,]+ +acked [1-9][\\d,]{2,}", Duration.ofSeconds(90));
            hub.kill();
            Thread.sleep(500);
            hub.startAgain();

            int code = sim.awaitExit(Duration.ofSeconds(120));
            assertThat(code).as(sim.stdout() + sim.stderr()).isZero();
            assertThat(sim.stdout()).as("reports failed while the hub was down").containsPattern("errors +[1-9][\\d,]*: .*(connection refused|connection lost)");

            var stored = hub.storedSeqsByHost();
            List<String> lost = new ArrayList<>();
            List<String> lines = Files.readAllLines(acked);
            for (String line : lines) {
                String[] hostSeq = line.split(" ");
                var seqs = stored.get(hostSeq[0]);
                if (seqs == null || !seqs.contains(Long.parseLong(hostSeq[1]))) {
                    lost.add(line);
                }
            }
            assertThat(lines).as("acknowledged samples").hasSizeGreaterThanOrEqualTo(100);
            assertThat(lost).as("acknowledged but missing after kill -9 and restart (of " + lines.size() + ")").isEmpty();
        }
    }
}

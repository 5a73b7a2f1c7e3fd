package dev.servmon.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.hub.Samples;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DiskPredictionTest {
    static final double GIB = 1024.0 * 1024 * 1024;

    @Test
    void a_least_squares_line_fits_exactly_through_a_straight_line() {
        long[] t = {1_800_000_000_000L, 1_800_000_060_000L, 1_800_000_120_000L};
        double[] y = {10, 20, 30};
        LinearFit f = LinearFit.of(t, y, 3);
        assertThat(f.slope()).isCloseTo(10 / 60_000.0, within(1e-12));
        assertThat(f.at(1_800_000_180_000L)).isCloseTo(40, within(1e-6));
        assertThat(f.timeReaching(50)).isCloseTo(1_800_000_240_000.0, within(1.0));
        assertThat(LinearFit.of(new long[] {5, 5}, new double[] {1, 2}, 2)).isNull();
        assertThat(LinearFit.of(t, new double[] {30, 20, 10}, 3).timeReaching(50)).isNull();
    }

    @Test
    void noisy_growth_predicts_the_time_to_full_and_gaps_and_flat_disks_do_not() {
        long now = 1_800_000_000_000L;
        int n = 73;
        long[] t = new long[n];
        Double[] used = new Double[n];
        Random random = new Random(42);
        for (int i = 0; i < n; i++) {
            t[i] = now - (n - 1 - i) * 300_000L;
            double hoursAgo = (now - t[i]) / 3_600_000.0;
            used[i] = (86 - hoursAgo) * GIB + random.nextGaussian() * 0.05 * GIB;
            if (i % 7 == 3) {
                used[i] = null;
            }
        }
        var p = DiskForecast.predict("/data", t, used, 100 * GIB, now);
        assertThat(p.hoursUntilFull()).isCloseTo(14, within(0.3));
        Double[] flat = new Double[n];
        java.util.Arrays.fill(flat, 50 * GIB);
        assertThat(DiskForecast.predict("/", t, flat, 100 * GIB, now)).isNull();
        assertThat(DiskForecast.predict("/", new long[] {now}, new Double[] {1.0}, 100, now)).isNull();
    }

    @Test
    void the_built_in_rule_fires_from_six_hours_of_stored_history() {
        var kit = AlertKit.start();
        try {
            var host = kit.host("files");
            long now = kit.clock.millis();
            List<Sample> history = new ArrayList<>();
            for (int i = 0; i <= 72; i++) {
                long at = now - (72 - i) * 300_000L;
                long used = (long) ((80 + i / 12.0) * GIB);
                Sample base = Samples.sample(i + 1, at);
                history.add(new Sample(base.seq(), at, base.cpu(), base.memory(),
                        List.of(new Sample.Filesystem("/", "ext4", 100L << 30, 40L << 30), new Sample.Filesystem("/data", "xfs", 100L << 30, used)),
                        base.network(), base.uptimeSeconds(), base.usersLoggedIn(), base.powerWatts()));
            }
            assertThat(kit.hub.ingest(host.key, Samples.json(new IngestBatch(ProtocolVersion.CURRENT, "test", 10, history))).statusCode())
                    .isEqualTo(200);
            long rule = 0;
            for (JsonNode r : kit.admin.json(kit.admin.get("/api/v1/alert-rules"))) {
                if (r.get("kind").asText().equals("disk_full")) {
                    rule = r.get("id").asLong();
                }
            }
            kit.engine().evaluateNow();
            JsonNode alert = kit.alerts(rule).get(0);
            assertThat(alert.get("state").asText()).isEqualTo("firing");
            assertThat(alert.get("detail").asText()).isEqualTo("/data");
            assertThat(alert.get("value").asDouble()).isCloseTo(14, within(0.3));
            assertThat(alert.get("threshold").asDouble()).isEqualTo(24);
        } finally {
            kit.hub.close();
        }
    }
}

package dev.servmon.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireRoundTripTest {
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static Sample sample(long seq) {
        return new Sample(seq, 1_700_000_000_000L + seq,
                new Sample.Cpu(12.5, List.of(10.0, 15.0), 0.5, 0.4, 0.3),
                new Sample.Memory(8L << 30, 3L << 30, 5L << 30, 2L << 30, 0L),
                List.of(new Sample.Filesystem("/", "ext4", 100L << 30, 40L << 30)),
                List.of(new Sample.NetInterface("eth0", 1234.5, 678.9)),
                3600L, 2, null);
    }

    @Test
    void a_batch_survives_a_json_round_trip_unchanged() throws Exception {
        var batch = new IngestBatch(ProtocolVersion.CURRENT, "1.0", 10, List.of(sample(1), sample(2)));
        var text = json.writeValueAsString(batch);
        assertThat(json.readValue(text, IngestBatch.class)).isEqualTo(batch);
    }

    @Test
    void field_names_on_the_wire_are_stable() throws Exception {
        var text = json.writeValueAsString(sample(7));
        assertThat(text).contains("\"seq\":7", "\"atMs\":", "\"perCorePercent\":[10.0,15.0]",
                "\"swapUsedBytes\":0", "\"rxBytesPerSec\":1234.5", "\"usersLoggedIn\":2", "\"powerWatts\":null");
    }

    @Test
    void a_sample_from_an_older_agent_without_optional_fields_reads_with_nulls() throws Exception {
        var s = json.readValue("{\"seq\":3,\"atMs\":5,\"unknownFutureField\":1}", Sample.class);
        assertThat(s.cpu()).isNull();
        assertThat(s.filesystems()).isEmpty();
        assertThat(s.network()).isEmpty();
        assertThat(s.powerWatts()).isNull();
    }

    @Test
    void only_versions_in_the_compatible_window_are_accepted() {
        assertThat(ProtocolVersion.accepts(ProtocolVersion.CURRENT)).isTrue();
        assertThat(ProtocolVersion.accepts(ProtocolVersion.MIN_COMPATIBLE - 1)).isFalse();
        assertThat(ProtocolVersion.accepts(ProtocolVersion.CURRENT + 1)).isFalse();
    }
}

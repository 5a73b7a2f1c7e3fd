package dev.servmon.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.protocol.IngestAck;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonTest {
    /** The reader the hub uses for records: strict, so a misnamed field fails here. */
    private final ObjectMapper jackson = new ObjectMapper();

    static Sample everyField() {
        return new Sample(42, 1_700_000_000_123L,
                new Sample.Cpu(12.5, List.of(10.0, 15.0), 0.5, 0.4, 0.3, 8.0, 3.5, 0.75, 0.25,
                        List.of(new Sample.CoreTimes(7.0, 3.0, 0.0, 0.0), new Sample.CoreTimes(9.0, 4.0, 1.5, 0.5)), 1234.0),
                new Sample.Memory(8L << 30, 3L << 30, 5L << 30, 2L << 30, 0L, 1L << 30, 1L << 20),
                List.of(new Sample.Filesystem("/", "ext4", 100L << 30, 40L << 30, "/dev/sda1", 55L << 30, 6_553_600L, 400_000L)),
                List.of(new Sample.NetInterface("eth0", 1234.5, 678.9, 10.0, 8.0, 0.0, 0.0, 0.1, 0.0)),
                86_400L, 2, 35.25, "rapl",
                List.of(new Sample.Disk("nvme0n1", 1e6, 2e6, 30.0, 40.0, 3.5)),
                List.of(new Sample.Temperature("coretemp/Package id 0", 48.0, 80.0, 100.0)),
                List.of(new Sample.Fan("nct6775/fan1", 1200.0)),
                List.of(new Sample.Gpu(0, "NVIDIA GeForce RTX 3060", 17.0, 1L << 30, 12L << 30, 25.5, 41.0)),
                List.of(new Sample.UserSession("alice", "pts/0", "10.0.0.7", 1_699_999_000_000L)),
                List.of(new Sample.Process(1234, "java \"hub\"\n", "servmon", 150.5, 300L << 20)),
                1_699_913_600_000L,
                new Sample.Inventory("web-1", "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64", "amd64",
                        "Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz", 8, 4, 16L << 30,
                        List.of(new Sample.InventoryDisk("sda", "Samsung SSD 860", 500L << 30, false)),
                        List.of(new Sample.Nic("eth0", "52:54:00:12:34:56", List.of("192.168.1.5/24", "fe80::1/64"), 1000)),
                        "0.1.0"),
                List.of(new Sample.Program("web \"api\"", "program", "RUNNING", 4321L, 0, 2, 1_699_999_999_000L, 3.5, 40L << 20,
                        "restarted after exit status 1")),
                List.of(new Sample.ProgramEvent("web \"api\"", "exited", 1_699_999_998_000L, 1, "exit status 1")));
    }

    @Test
    void a_sample_with_every_field_reads_back_equal_with_the_hubs_reader() throws IOException {
        Sample sample = everyField();

        byte[] json = Json.write(sample);

        assertThat(jackson.readValue(json, Sample.class)).isEqualTo(sample);
    }

    @Test
    void the_hand_written_writer_matches_a_reflective_one_component_for_component() {
        Sample sparse = new Sample(7, 1_700_000_000_000L, new Sample.Cpu(null, List.of(1.5), null, 0.25, null), null,
                List.of(new Sample.Filesystem("/", "ext4", 10, 5)), List.of(new Sample.NetInterface("lo", 1, 2)), null, 0, null);

        for (Sample s : List.of(everyField(), sparse)) {
            assertThat(new String(Json.write(s), StandardCharsets.UTF_8)).isEqualTo(ReflectiveJson.write(s));
        }
    }

    @Test
    void the_every_field_sample_sets_every_component_of_every_sample_record() throws ReflectiveOperationException {
        Set<Class<?>> seen = new HashSet<>();
        List<String> unset = new ArrayList<>();
        walk(everyField(), seen, unset);

        Set<Class<?>> declared = new HashSet<>(List.of(Sample.class));
        for (Class<?> c : Sample.class.getDeclaredClasses()) {
            if (c.isRecord()) {
                declared.add(c);
            }
        }
        assertThat(seen).as("record types in everyField()").isEqualTo(declared);
        assertThat(unset).as("null or empty components in everyField(): the writer comparison cannot see them").isEmpty();
    }

    private static void walk(Object value, Set<Class<?>> seen, List<String> unset) throws ReflectiveOperationException {
        if (value instanceof List<?> list) {
            for (Object o : list) {
                walk(o, seen, unset);
            }
        } else if (value instanceof Record r) {
            seen.add(r.getClass());
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                Object v = c.getAccessor().invoke(r);
                if (v == null || v instanceof List<?> l && l.isEmpty()) {
                    unset.add(r.getClass().getSimpleName() + "." + c.getName());
                }
                walk(v, seen, unset);
            }
        }
    }

    @Test
    void nulls_are_left_out_and_read_back_as_null() throws IOException {
        Sample sparse = new Sample(7, 1_700_000_000_000L, new Sample.Cpu(null, List.of(), null, null, null), null, null, null, null, null, null);

        String text = new String(Json.write(sparse), StandardCharsets.UTF_8);

        assertThat(text).doesNotContain("null").doesNotContain("memory").doesNotContain("powerWatts");
        assertThat(jackson.readValue(text, Sample.class)).isEqualTo(sparse);
    }

    @Test
    void strings_are_escaped_and_non_finite_numbers_become_null() throws IOException {
        String text = new String(Json.write(Map.of("s", "a\"b\\c\n\u0001\u2028", "d", Double.NaN)), StandardCharsets.UTF_8);

        Map<?, ?> back = jackson.readValue(text, Map.class);
        assertThat(back.get("s")).isEqualTo("a\"b\\c\n\u0001\u2028");
        assertThat(back.get("d")).isNull();
    }

    @Test
    void the_parser_reads_what_the_hub_writes() throws IOException {
        byte[] ack = jackson.writeValueAsBytes(new IngestAck(99, 3, 1));

        Object parsed = Json.parse(ack);

        assertThat(parsed).isEqualTo(Map.of("ackedThroughSeq", 99L, "stored", 3L, "duplicates", 1L));
        assertThat(Json.parse(" {\"a\": [1, 2.5, -3e2, true, false, null, \"x\\u00e9\\/\"], \"b\": {}} "))
                .isEqualTo(Map.of("a", java.util.Arrays.asList(1L, 2.5, -300.0, true, false, null, "xé/"), "b", Map.of()));
    }

    @Test
    void broken_json_is_an_error_not_a_guess() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "[1,]", "tru", "\"open", "{} x", "[" .repeat(100) + "]".repeat(100))) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IOException.class);
        }
    }
}

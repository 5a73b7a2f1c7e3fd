package dev.servmon.hub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.Samples;
import dev.servmon.hub.api.Json;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.Sample;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NewestSampleTextTest {
    private final ObjectMapper json = Json.mapper();

    private String newest(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        IngestBatch batch = Json.read(json, bytes, IngestBatch.class);
        return NewestSampleText.of(bytes, batch.samples().size());
    }

    @Test
    void the_last_sample_of_the_body_reads_back_as_the_parsed_newest_sample() throws Exception {
        String body = Samples.batch(1_700_000_000_000L, 1, 2, 3);
        IngestBatch batch = json.readValue(body, IngestBatch.class);

        String text = newest(body);

        assertThat(json.readValue(text, Sample.class)).isEqualTo(batch.samples().get(2));
        assertThat(text).startsWith("{\"seq\":3,");
    }

    @Test
    void the_agents_text_is_kept_as_sent_with_spacing_and_fields_this_hub_does_not_know() throws Exception {
        String body = "{ \"samples\" : [ {\"seq\":1,\"atMs\":5} ,\n {\"seq\":2, \"atMs\":6, \"future\":{\"samples\":[1]}, \"name\":\"é\"} ],"
                + " \"protocolVersion\":1, \"intervalSeconds\":10 }";

        String text = newest(body);

        assertThat(text).isEqualTo("{\"seq\":2, \"atMs\":6, \"future\":{\"samples\":[1]}, \"name\":\"é\"}");
        assertThat(json.readValue(text, Sample.class).seq()).isEqualTo(2);
    }

    @Test
    void a_repeated_samples_key_is_not_cut_so_the_record_is_serialised_instead() {
        String body = "{\"protocolVersion\":1,\"intervalSeconds\":10,\"samples\":[{\"seq\":9,\"atMs\":5}],\"samples\":[{\"seq\":1,\"atMs\":5}]}";

        assertThat(newest(body)).isNull();
    }

    @Test
    void an_escaped_samples_key_is_not_cut() {
        String body = "{\"protocolVersion\":1,\"intervalSeconds\":10,\"samples\":[{\"seq\":9,\"atMs\":5}],\"sampl\\u0065s\":[{\"seq\":1,\"atMs\":5}]}";

        assertThat(newest(body)).isNull();
    }

    @Test
    void quotes_and_brackets_inside_strings_do_not_confuse_the_cut() throws Exception {
        String body = "{\"agentVersion\":\"a\\\"]}[{\",\"samples\":[{\"seq\":1,\"atMs\":5,\"powerSource\":\"}\\\\\"},"
                + "{\"seq\":2,\"atMs\":6,\"powerSource\":\"]\\\"{\"}],\"protocolVersion\":1,\"intervalSeconds\":10}";

        String text = newest(body);

        assertThat(json.readValue(text, Sample.class)).isEqualTo(json.readValue(body, IngestBatch.class).samples().get(1));
    }

    @Test
    void a_count_that_differs_from_the_parse_or_another_encoding_is_not_cut() {
        byte[] body = Samples.batch(1_700_000_000_000L, 1, 2).getBytes(StandardCharsets.UTF_8);
        assertThat(NewestSampleText.of(body, 1)).isNull();

        byte[] utf16 = Samples.batch(1_700_000_000_000L, 1, 2).getBytes(StandardCharsets.UTF_16BE);
        assertThat(Json.read(json, utf16, IngestBatch.class).samples()).hasSize(2);
        assertThat(NewestSampleText.of(utf16, 2)).isNull();
    }

    @Test
    void a_body_that_is_not_an_object_with_a_samples_array_gives_null() {
        for (String body : new String[] {"[1]", "{\"samples\":{}}", "{\"samples\":null}", "{\"samples\":[1]}", "{\"samples\":[[{}]]}",
                "{\"x\":{\"samples\":[{}]}}", "\uFEFF{\"samples\":[{}]}"}) {
            assertThat(NewestSampleText.of(body.getBytes(StandardCharsets.UTF_8), 1)).as(body).isNull();
        }
    }
}

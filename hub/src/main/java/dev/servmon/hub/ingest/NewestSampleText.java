package dev.servmon.hub.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON text of a batch's newest sample, cut from the request body instead of written again
 * from the parsed record: the host row keeps the newest sample as JSON, and serialising it
 * cost a third of the JSON work of a report. Readers parse the stored text as a
 * {@link dev.servmon.protocol.Sample}, so the agent's own text means the same (fields this hub
 * does not know are kept and ignored on reading, like on ingest).
 *
 * <p>Only a body whose one top-level {@code samples} array holds exactly the samples that were
 * parsed is cut; anything else (a repeated key, another encoding than UTF-8) gives null and the
 * writer serialises the record as before.
 */
final class NewestSampleText {
    private NewestSampleText() {}

    /**
     * The text of the last element of the body's top-level {@code samples} array, or null.
     *
     * @param body a body that {@code factory}'s mapper has already parsed as a batch
     * @param samples how many samples that parse found
     */
    static String of(JsonFactory factory, byte[] body, int samples) {
        try (JsonParser p = factory.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            long start = -1;
            long end = -1;
            int arrays = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean isSamples = "samples".equals(p.currentName());
                JsonToken value = p.nextToken();
                if (!isSamples) {
                    p.skipChildren();
                    continue;
                }
                if (++arrays > 1 || value != JsonToken.START_ARRAY) {
                    return null;
                }
                int count = 0;
                for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; count++) {
                    if (t != JsonToken.START_OBJECT) {
                        return null;
                    }
                    start = p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    end = p.currentLocation().getByteOffset();
                }
                if (count != samples) {
                    return null;
                }
            }
            if (arrays != 1 || start < 0 || end > body.length || body[(int) start] != '{' || body[(int) end - 1] != '}') {
                return null;
            }
            return new String(body, (int) start, (int) (end - start), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // Parsed once already; a second read cannot fail, and if it did the record is serialised instead.
            return null;
        }
    }
}

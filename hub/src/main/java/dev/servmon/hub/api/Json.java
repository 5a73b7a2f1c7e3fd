package dev.servmon.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.io.IOException;

/** The hub's one JSON configuration: lenient to unknown fields, strict about sizes and depth. */
public final class Json {
    private Json() {}

    public static ObjectMapper mapper() {
        var mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Every report is mostly decimals: the JDK's parser and printer were a fifth of
                // an ingest request's CPU. Same values (correctly rounded, shortest round-trip form).
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32)
                .maxStringLength(64 * 1024)
                .maxNumberLength(64)
                .build());
        return mapper;
    }

    /** Parses {@code body} as {@code type}, turning any parse failure into a 400 that says where. */
    public static <T> T read(ObjectMapper mapper, byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("request body is empty; expected a JSON " + type.getSimpleName());
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("request body is null; expected a JSON " + type.getSimpleName());
            }
            return value;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ApiException.badRequest("malformed JSON " + type.getSimpleName() + where + ": " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("unreadable request body: " + e.getMessage());
        }
    }

    /**
     * Answers {@code value} as JSON, as {@code ctx.json} does, but writes the bytes straight to
     * the response with their length: no copy through Javalin's 32 KiB result buffer, no chunking.
     * For hot routes only; the response is complete afterwards (nothing can be added to it).
     */
    public static void respond(Context ctx, ObjectMapper mapper, Object value) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(value);
        ctx.contentType(ContentType.APPLICATION_JSON);
        var res = ctx.res();
        res.setContentLength(bytes.length);
        res.getOutputStream().write(bytes);
    }
}

package dev.servmon.hub.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.auth.Tokens;
import dev.servmon.hub.hosts.Hosts;
import dev.servmon.protocol.IngestAck;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /api/v1/ingest}: authenticate the host key, validate the batch, store, ack. */
public final class IngestHandler {
    private static final Logger log = LoggerFactory.getLogger(IngestHandler.class);
    /** Reports more than this far in the future are a broken clock or a broken agent. */
    private static final long MAX_CLOCK_SKEW_MS = 24L * 3600 * 1000;
    private static final int COMMIT_TIMEOUT_SECONDS = 30;
    /** Largest batch after gzip decompression: a 16 MiB compressed body cannot inflate without bound. */
    static final int MAX_INFLATED_BYTES = 64 * 1024 * 1024;

    private final Hosts hosts;
    private final SampleWriter writer;
    private final ObjectMapper json;
    private final Clock clock;
    private final Stored onStored;
    private final long maxBodyBytes;

    /**
     * @param maxBodyBytes the ingest server's request body limit (as given to Javalin): bodies
     *     of a declared length are read here in one piece, and refused like Javalin does above it
     * @param onStored told after a batch is committed (live updates, liveness, alerts)
     */
    public IngestHandler(Hosts hosts, SampleWriter writer, ObjectMapper json, Clock clock, long maxBodyBytes, Stored onStored) {
        this.hosts = hosts;
        this.maxBodyBytes = maxBodyBytes;
        this.writer = writer;
        this.json = json;
        this.clock = clock;
        this.onStored = onStored;
    }

    /** Told of each batch stored. */
    @FunctionalInterface
    public interface Stored {
        /** A batch of host {@code hostId} was committed; {@code newest} is its newest sample (samples ascend by seq). */
        void stored(long hostId, Sample newest);
    }

    public void handle(Context ctx) throws InterruptedException, IOException {
        long hostId = authenticate(hosts, hostKey(ctx));
        byte[] body = body(ctx, maxBodyBytes);
        IngestBatch batch = Json.read(json, body, IngestBatch.class);
        validate(batch, clock.millis());
        String newestJson = NewestSampleText.of(body, batch.samples().size());
        final IngestAck ack;
        try {
            ack = writer.submit(hostId, batch, newestJson, clock.millis()).get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (SampleWriter.QueueFullException e) {
            throw new ApiException(503, "the hub is busy storing other reports; retry later", Map.of("Retry-After", "5"));
        } catch (TimeoutException e) {
            throw new ApiException(503, "storing the batch took longer than " + COMMIT_TIMEOUT_SECONDS + " s; retry later", Map.of("Retry-After", "5"));
        } catch (ExecutionException e) {
            if (hosts.find(hostId, false).isEmpty()) {
                throw ApiException.unauthorized("host " + hostId + " was deleted; its key is no longer valid");
            }
            log.error("batch from host={} could not be stored", hostId, e.getCause());
            throw new ApiException(503, "the batch could not be stored; retry later", Map.of("Retry-After", "5"));
        }
        onStored.stored(hostId, batch.samples().get(batch.samples().size() - 1));
        Json.respond(ctx, json, ack);
    }

    /** The request body, inflated when the agent sent it gzip-compressed. */
    static byte[] body(Context ctx, long maxBytes) throws IOException {
        String encoding = ctx.header("Content-Encoding");
        byte[] raw = raw(ctx, maxBytes);
        if (encoding == null || encoding.isBlank() || encoding.strip().equalsIgnoreCase("identity")) {
            return raw;
        }
        if (!encoding.strip().toLowerCase(Locale.ROOT).equals("gzip")) {
            throw new ApiException(415, "Content-Encoding '" + encoding.strip() + "' is not supported; send gzip or an uncompressed body",
                    Map.of("Accept-Encoding", "gzip"));
        }
        return inflate(raw);
    }

    /**
     * The body as sent. One array of the declared length (Javalin's own reading copies it
     * through an 8 KiB chunk and a growing buffer); a body without a declared length
     * (chunked) is left to Javalin, which enforces the limit while reading.
     */
    private static byte[] raw(Context ctx, long maxBytes) throws IOException {
        long length = ctx.req().getContentLengthLong();
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            return ctx.bodyAsBytes();
        }
        if (length > maxBytes) {
            // What Javalin answers for a body over cfg.http.maxRequestSize.
            throw new HttpResponseException(HttpStatus.CONTENT_TOO_LARGE.getCode(), HttpStatus.CONTENT_TOO_LARGE.getMessage());
        }
        return ctx.req().getInputStream().readNBytes((int) length);
    }

    static byte[] inflate(byte[] gzipped) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped), 8192)) {
            byte[] out = in.readNBytes(MAX_INFLATED_BYTES + 1);
            if (out.length > MAX_INFLATED_BYTES) {
                throw new ApiException(413, "the batch inflates to more than " + (MAX_INFLATED_BYTES >> 20) + " MiB; send smaller batches");
            }
            return out;
        } catch (ZipException | java.io.EOFException e) {
            throw ApiException.badRequest("the body is marked Content-Encoding: gzip but is not valid gzip (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw ApiException.badRequest("the gzip body cannot be read (" + e.getMessage() + ")");
        }
    }

    /** The host a key belongs to; 401 naming the key's prefix for an unknown or revoked one. */
    public static long authenticate(Hosts hosts, String key) {
        return hosts.authenticate(key).orElseThrow(() ->
                ApiException.unauthorized("unknown or revoked host key " + Tokens.prefixOf(key) + "; register the host again to get a new key"));
    }

    /** The host key of an agent's request ({@code Authorization: Bearer <key>}); 401 without one. */
    public static String hostKey(Context ctx) {
        return bearer(ctx.header("Authorization"));
    }

    /** The key of an {@code Authorization: Bearer <host key>} header; 401 without one (also the push route's). */
    public static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("missing 'Authorization: Bearer <host key>' header");
        }
        return header.substring(7).strip();
    }

    /** Rejects, as a whole, any batch that could not be stored faithfully. */
    static void validate(IngestBatch batch, long nowMs) {
        if (!ProtocolVersion.accepts(batch.protocolVersion())) {
            throw ApiException.badRequest("protocolVersion " + batch.protocolVersion() + " is not supported; this hub accepts "
                    + ProtocolVersion.MIN_COMPATIBLE + " to " + ProtocolVersion.CURRENT + ": upgrade the "
                    + (batch.protocolVersion() > ProtocolVersion.CURRENT ? "hub" : "agent"));
        }
        if (batch.intervalSeconds() < 1 || batch.intervalSeconds() > 3600) {
            throw ApiException.badRequest("intervalSeconds must be between 1 and 3600, got " + batch.intervalSeconds());
        }
        if (batch.agentVersion() != null && batch.agentVersion().length() > 64) {
            throw ApiException.badRequest("agentVersion must be at most 64 characters");
        }
        var samples = batch.samples();
        if (samples.isEmpty()) {
            throw ApiException.badRequest("samples must hold at least one sample");
        }
        if (samples.size() > IngestBatch.MAX_SAMPLES) {
            throw ApiException.badRequest("samples must hold at most " + IngestBatch.MAX_SAMPLES + " samples, got " + samples.size() + "; send smaller batches");
        }
        long previousSeq = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (s == null) {
                throw ApiException.badRequest("samples[" + i + "] is null");
            }
            if (s.seq() <= previousSeq) {
                throw ApiException.badRequest("samples[" + i + "].seq must be positive and greater than the previous sample's seq (" + previousSeq + "), got " + s.seq());
            }
            previousSeq = s.seq();
            if (s.atMs() <= 0 || s.atMs() > nowMs + MAX_CLOCK_SKEW_MS) {
                throw ApiException.badRequest("samples[" + i + "].atMs " + s.atMs() + " is not a plausible time; check the agent's clock");
            }
            var cpu = s.cpu();
            if (cpu != null) {
                percent(cpu.percent(), "samples[" + i + "].cpu.percent");
                for (int c = 0; c < cpu.perCorePercent().size(); c++) {
                    percent(cpu.perCorePercent().get(c), "samples[" + i + "].cpu.perCorePercent[" + c + "]");
                }
            }
            if (s.filesystems().size() > 256 || s.network().size() > 256 || (cpu != null && cpu.perCorePercent().size() > 4096)) {
                throw ApiException.badRequest("samples[" + i + "] has too many filesystems, interfaces or cores");
            }
            if (cpu != null && cpu.perCore().size() > 4096) {
                throw ApiException.badRequest("samples[" + i + "].cpu.perCore has more than 4096 cores");
            }
            bounded(s.disks(), 1024, i, "disks");
            bounded(s.temperatures(), 1024, i, "temperatures");
            bounded(s.fans(), 256, i, "fans");
            bounded(s.gpus(), 64, i, "gpus");
            bounded(s.users(), 1024, i, "users");
            bounded(s.processes(), 200, i, "processes");
            bounded(s.programs(), 1000, i, "programs");
            bounded(s.programEvents(), 1000, i, "programEvents");
            if (s.powerWatts() != null && (s.powerWatts().isNaN() || s.powerWatts() < 0 || s.powerWatts() > 1_000_000)) {
                throw ApiException.badRequest("samples[" + i + "].powerWatts must be between 0 and 1000000, got " + s.powerWatts());
            }
            if (s.powerSource() != null && s.powerSource().length() > 32) {
                throw ApiException.badRequest("samples[" + i + "].powerSource must be at most 32 characters");
            }
        }
    }

    private static void bounded(java.util.List<?> list, int max, int sample, String field) {
        if (list.size() > max) {
            throw ApiException.badRequest("samples[" + sample + "]." + field + " holds " + list.size() + " entries; at most " + max + " are accepted");
        }
    }

    private static void percent(Double v, String field) {
        if (v != null && (v.isNaN() || v < 0 || v > 100.0001)) {
            throw ApiException.badRequest(field + " must be between 0 and 100, got " + v);
        }
    }
}

package dev.servmon.hub.metrics;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Encodes a run of one host's samples as a compact, self-describing block (pure, no I/O).
 *
 * <p>Layout, column by column so that similar numbers sit together: sample count; sequence
 * numbers as varint deltas; timestamps as delta-of-delta (a steady interval costs one byte);
 * then per series its name, its decimal precision, which samples have it (a bitmap, omitted when
 * all do), and its values as integers at that precision: the first one, then the deltas divided
 * by their greatest common divisor (memory moves by whole pages, filesystems by whole blocks).
 * The whole is then deflated. Values are rounded to the series' precision
 * ({@link MetricCatalog#decimals}): that rounding is the only loss.
 */
public final class BlockCodec {
    private static final int VERSION = 1;
    private static final int FLAG_DEFLATED = 1;
    private static final double[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
    /** Beyond this, a value scaled to its precision no longer fits a long exactly. */
    private static final double MAX_SCALED = 9.0e18;

    private BlockCodec() {}

    /** Encodes {@code samples} (any order; kept as given) into a block; deflated when {@code compress}. */
    public static byte[] encode(List<RawSample> samples, boolean compress) {
        return encode(samples, compress, MetricCatalog::decimals);
    }

    /**
     * As {@link #encode(List, boolean)}, with the decimal precision of each series given by
     * {@code decimals} (0 to 6) instead of the metric catalogue.
     */
    public static byte[] encode(List<RawSample> samples, boolean compress, java.util.function.ToIntFunction<String> decimals) {
        int n = samples.size();
        var out = new Bytes(64 + n * 16);
        out.varint(n);
        long prevSeq = 0;
        for (RawSample s : samples) {
            out.zigzag(s.seq() - prevSeq);
            prevSeq = s.seq();
        }
        long prevAt = 0;
        long prevDelta = 0;
        for (RawSample s : samples) {
            long delta = s.atMs() - prevAt;
            out.zigzag(delta - prevDelta);
            prevDelta = delta;
            prevAt = s.atMs();
        }
        // Series in order of first appearance; each maps to its values per sample (null: absent).
        Map<String, long[]> columns = new LinkedHashMap<>();
        Map<String, boolean[]> present = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            RawSample s = samples.get(i);
            for (int j = 0; j < s.names().length; j++) {
                String name = s.names()[j];
                double scaled = s.values()[j] * POW10[decimals.applyAsInt(name)];
                if (!Double.isFinite(scaled) || Math.abs(scaled) > MAX_SCALED) {
                    continue;
                }
                columns.computeIfAbsent(name, k -> new long[n])[i] = Math.round(scaled);
                present.computeIfAbsent(name, k -> new boolean[n])[i] = true;
            }
        }
        out.varint(columns.size());
        for (var e : columns.entrySet()) {
            writeSeries(out, e.getKey(), decimals.applyAsInt(e.getKey()), e.getValue(), present.get(e.getKey()));
        }
        byte[] body = out.toByteArray();
        if (compress) {
            body = deflate(body);
        }
        byte[] block = new byte[body.length + 2];
        block[0] = VERSION;
        block[1] = (byte) (compress ? FLAG_DEFLATED : 0);
        System.arraycopy(body, 0, block, 2, body.length);
        return block;
    }

    private static void writeSeries(Bytes out, String name, int decimals, long[] values, boolean[] present) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        out.varint(utf8.length);
        out.write(utf8);
        out.varint(decimals);
        int n = values.length;
        int count = 0;
        for (boolean p : present) {
            count += p ? 1 : 0;
        }
        out.varint(count);
        long[] v = new long[count];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (present[i]) {
                v[k++] = values[i];
            }
        }
        if (count < n) {
            byte[] bitmap = new byte[(n + 7) / 8];
            for (int i = 0; i < n; i++) {
                if (present[i]) {
                    bitmap[i >> 3] |= (byte) (1 << (i & 7));
                }
            }
            out.write(bitmap);
        }
        long gcd = 0;
        for (int i = 1; i < count; i++) {
            gcd = gcd(gcd, Math.abs(v[i] - v[i - 1]));
        }
        if (gcd == 0) {
            gcd = 1;
        }
        out.varint(gcd);
        if (count > 0) {
            out.zigzag(v[0]);
        }
        for (int i = 1; i < count; i++) {
            out.zigzag((v[i] - v[i - 1]) / gcd);
        }
    }

    /**
     * A block read column by column: per sample its sequence number and time, and the values of
     * the columns asked for ({@code NaN} where a sample lacks the series).
     */
    public record Columns(long[] seqs, long[] atMs, Map<String, double[]> values) {}

    /**
     * Decodes only the columns whose name {@code wanted} accepts; the others are stepped over
     * without building anything. Reading 5 series of a block holding 60 is then about as cheap as
     * the varints it has to skip.
     */
    public static Columns decodeColumns(byte[] block, java.util.function.Predicate<String> wanted) {
        if (block.length < 2 || block[0] != VERSION) {
            throw new IllegalArgumentException("not a sample block of version " + VERSION + " (" + block.length + " bytes)");
        }
        byte[] body = Arrays.copyOfRange(block, 2, block.length);
        if ((block[1] & FLAG_DEFLATED) != 0) {
            body = inflate(body);
        }
        var in = new Reader(body);
        int n = in.varintInt();
        long[] seqs = new long[n];
        long prev = 0;
        for (int i = 0; i < n; i++) {
            prev += in.zigzag();
            seqs[i] = prev;
        }
        long[] at = new long[n];
        long prevAt = 0;
        long prevDelta = 0;
        for (int i = 0; i < n; i++) {
            prevDelta += in.zigzag();
            prevAt += prevDelta;
            at[i] = prevAt;
        }
        int k = in.varintInt();
        Map<String, double[]> columns = new LinkedHashMap<>();
        for (int c = 0; c < k; c++) {
            String name = new String(in.bytes(in.varintInt()), StandardCharsets.UTF_8);
            int decimals = in.varintInt();
            if (decimals >= POW10.length) {
                throw new IllegalArgumentException("sample block has an unsupported precision " + decimals + " for series " + name);
            }
            double scale = POW10[decimals];
            int count = in.varintInt();
            byte[] bitmap = count < n ? in.bytes((n + 7) / 8) : null;
            long gcd = in.varint();
            if (!wanted.test(name)) {
                for (int i = 0; i < count; i++) {
                    in.zigzag();
                }
                continue;
            }
            double[] values = new double[n];
            long v = 0;
            int seen = 0;
            for (int i = 0; i < n; i++) {
                if (bitmap != null && (bitmap[i >> 3] & (1 << (i & 7))) == 0) {
                    values[i] = Double.NaN;
                    continue;
                }
                v = seen++ == 0 ? in.zigzag() : v + in.zigzag() * gcd;
                values[i] = v / scale;
            }
            columns.put(name, values);
        }
        return new Columns(seqs, at, columns);
    }

    /** Decodes a block made by {@link #encode}, samples in the order they were encoded. */
    public static List<RawSample> decode(byte[] block) {
        return decode(block, name -> true);
    }

    /** As {@link #decode(byte[])}, each sample holding only the series {@code wanted} accepts. */
    public static List<RawSample> decode(byte[] block, java.util.function.Predicate<String> wanted) {
        Columns cols = decodeColumns(block, wanted);
        int n = cols.seqs().length;
        List<List<String>> names = new ArrayList<>(n);
        List<List<Double>> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(new ArrayList<>(cols.values().size()));
            values.add(new ArrayList<>(cols.values().size()));
        }
        cols.values().forEach((name, column) -> {
            for (int i = 0; i < n; i++) {
                if (!Double.isNaN(column[i])) {
                    names.get(i).add(name);
                    values.get(i).add(column[i]);
                }
            }
        });
        List<RawSample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<Double> vs = values.get(i);
            double[] arr = new double[vs.size()];
            for (int j = 0; j < arr.length; j++) {
                arr[j] = vs.get(j);
            }
            out.add(new RawSample(cols.seqs()[i], cols.atMs()[i], names.get(i).toArray(String[]::new), arr));
        }
        return out;
    }

    /** The value {@code v} as the raw tier will give it back (rounded to the series' precision). */
    public static double quantize(String name, double v) {
        double scale = POW10[MetricCatalog.decimals(name)];
        return Math.round(v * scale) / scale;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            d.setInput(data);
            d.finish();
            var out = new ByteArrayOutputStream(data.length / 3 + 16);
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    private static byte[] inflate(byte[] data) {
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(data);
            var out = new ByteArrayOutputStream(data.length * 4);
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int got = inf.inflate(buf);
                if (got == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new IllegalArgumentException("sample block is truncated");
                }
                out.write(buf, 0, got);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("sample block is corrupt: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }

    /** A growable byte buffer with varint writers. */
    private static final class Bytes {
        private byte[] buf;
        private int len;

        Bytes(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        void write(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        void varint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        void zigzag(long v) {
            varint((v << 1) ^ (v >> 63));
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }
    }

    /** Reads what {@link Bytes} wrote; any overrun is a corrupt block. */
    private static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= buf.length) {
                    throw new IllegalArgumentException("sample block is truncated at byte " + pos);
                }
                byte b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("sample block has a malformed varint at byte " + pos);
        }

        int varintInt() {
            long v = varint();
            if (v < 0 || v > 10_000_000) {
                throw new IllegalArgumentException("sample block has an implausible count " + v + " at byte " + pos);
            }
            return (int) v;
        }

        long zigzag() {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        byte[] bytes(int n) {
            if (pos + n > buf.length) {
                throw new IllegalArgumentException("sample block is truncated at byte " + pos);
            }
            byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return b;
        }
    }
}

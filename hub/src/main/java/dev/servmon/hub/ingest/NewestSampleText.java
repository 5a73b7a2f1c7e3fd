package dev.servmon.hub.ingest;

import java.nio.charset.StandardCharsets;

/**
 * The JSON text of a batch's newest sample, cut from the request body instead of written again
 * from the parsed record: the host row keeps the newest sample as JSON, and serialising it
 * cost a third of the JSON work of a report. Readers parse the stored text as a
 * {@link dev.servmon.protocol.Sample}, so the agent's own text means the same (fields this hub
 * does not know are kept and ignored on reading, like on ingest).
 *
 * <p>The body has already been parsed as a valid batch, so finding the text only needs strings
 * and brackets, not a second JSON parse (a token pass cost as much as serialising). Only a body
 * whose one top-level {@code samples} key, written without escapes, holds exactly the samples
 * that were parsed is cut; anything else (a repeated or escaped key, a byte-order mark, another
 * encoding than UTF-8) gives null and the writer serialises the record as before.
 */
final class NewestSampleText {
    private static final byte[] SAMPLES = "samples".getBytes(StandardCharsets.US_ASCII);

    private NewestSampleText() {}

    /**
     * The text of the last element of the body's top-level {@code samples} array, or null.
     *
     * @param body a body that the hub's mapper has parsed as a batch (valid JSON)
     * @param samples how many samples that parse found
     */
    static String of(byte[] body, int samples) {
        int i = skipSpace(body, 0);
        if (i >= body.length || body[i] != '{') {
            return null;
        }
        int depth = 0;
        int keys = 0;
        boolean arrayNext = false;
        boolean inSamples = false;
        int count = 0;
        int start = -1;
        int end = -1;
        for (; i < body.length; i++) {
            switch (body[i]) {
                case '"' -> {
                    int from = i + 1;
                    i = closingQuote(body, from);
                    if (i < 0) {
                        return null;
                    }
                    int colon = depth == 1 ? skipSpace(body, i + 1) : -1;
                    if (colon >= 0 && colon < body.length && body[colon] == ':') {
                        if (indexOf(body, from, i, (byte) '\\') >= 0) {
                            return null; // an escaped key may spell "samples"
                        }
                        if (equal(body, from, i, SAMPLES)) {
                            if (++keys > 1) {
                                return null;
                            }
                            arrayNext = true;
                        }
                    }
                }
                case '{', '[' -> {
                    depth++;
                    if (arrayNext) {
                        if (body[i] != '[' || depth != 2) {
                            return null;
                        }
                        arrayNext = false;
                        inSamples = true;
                    } else if (inSamples && depth == 3) {
                        if (body[i] != '{') {
                            return null;
                        }
                        count++;
                        start = i;
                    }
                }
                case '}', ']' -> {
                    if (inSamples && depth == 3) {
                        end = i + 1;
                    } else if (inSamples && depth == 2) {
                        inSamples = false;
                    }
                    depth--;
                }
                default -> {
                    if (arrayNext && body[i] != ':' && !isSpace(body[i])) {
                        return null; // samples is not an array
                    }
                }
            }
        }
        if (keys != 1 || count != samples || start < 0 || end <= start) {
            return null;
        }
        return new String(body, start, end - start, StandardCharsets.UTF_8);
    }

    /** The index of the quote that closes a string whose text starts at {@code from}, or -1. */
    private static int closingQuote(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\\') {
                i++;
            } else if (b[i] == '"') {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpace(byte[] b, int i) {
        while (i < b.length && isSpace(b[i])) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean equal(byte[] b, int from, int to, byte[] word) {
        return java.util.Arrays.equals(b, from, to, word, 0, word.length);
    }
}

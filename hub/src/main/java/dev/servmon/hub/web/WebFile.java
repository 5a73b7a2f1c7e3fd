package dev.servmon.hub.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * One dashboard file as it is served: its type, its bytes, a strong ETag (a hash of the bytes)
 * and, for text larger than {@link #GZIP_MIN_BYTES}, the same bytes gzipped once at load.
 *
 * @param gzip the gzipped bytes, or null when the file is served only as it is
 */
record WebFile(String name, String contentType, byte[] body, String etag, byte[] gzip, String gzipEtag) {
    /** Below this, gzip saves less than a TCP segment and costs the client a decompressor. */
    static final int GZIP_MIN_BYTES = 1024;

    /** Content type by file extension; text is UTF-8. Files without an extension (LICENSE) are text. */
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html;charset=utf-8"),
            Map.entry("js", "text/javascript;charset=utf-8"),
            Map.entry("mjs", "text/javascript;charset=utf-8"),
            Map.entry("css", "text/css;charset=utf-8"),
            Map.entry("svg", "image/svg+xml;charset=utf-8"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain;charset=utf-8"),
            Map.entry("md", "text/markdown;charset=utf-8"),
            Map.entry("", "text/plain;charset=utf-8"));

    /**
     * @throws IllegalStateException for a file type not in the list above (a new kind of file must
     *     be given its type here, not guessed)
     */
    static WebFile of(String name, byte[] body) {
        String type = contentTypeOf(name);
        String hash = hash(body);
        byte[] gzip = compressible(type) && body.length > GZIP_MIN_BYTES ? gzip(body) : null;
        if (gzip != null && gzip.length >= body.length * 9L / 10) {
            gzip = null; // saves too little to be worth a second representation
        }
        return new WebFile(name, type, body, "\"" + hash + "\"", gzip, gzip == null ? null : "\"" + hash + "-gzip\"");
    }

    static String contentTypeOf(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        int dot = file.lastIndexOf('.');
        String extension = dot < 0 ? "" : file.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        String type = TYPES.get(extension);
        if (type == null) {
            throw new IllegalStateException("web/" + name + ": no content type known for ." + extension
                    + " files; add it to " + WebFile.class.getName());
        }
        return type;
    }

    /** Text, JSON, JavaScript and SVG shrink under gzip; PNG, WOFF2 and the like are compressed already. */
    static boolean compressible(String contentType) {
        return contentType.startsWith("text/") || contentType.startsWith("application/json") || contentType.startsWith("image/svg+xml")
                || contentType.equals("image/x-icon");
    }

    private static String hash(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 18));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static byte[] gzip(byte[] body) {
        var out = new ByteArrayOutputStream(body.length / 3);
        try (var gz = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip in memory failed", e);
        }
        return out.toByteArray();
    }
}

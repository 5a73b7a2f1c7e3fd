package dev.servmon.hub.alerts;

import dev.servmon.hub.api.ApiException;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Path and query parameters of the alerting routes, with 400s that say what was expected. */
final class Params {
    private Params() {}

    static long id(Context ctx, String what) {
        String raw = ctx.pathParam("id");
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(what + " id must be a positive integer, got '" + cut(raw) + "'");
    }

    static Long optionalId(Context ctx, String param) {
        String raw = ctx.queryParam(param);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(raw.strip());
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(param + " must be a positive integer id, got '" + cut(raw) + "'");
    }

    /** Epoch milliseconds or an ISO-8601 instant; null when absent. */
    static Long time(Context ctx, String param) {
        String raw = ctx.queryParam(param);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String v = raw.strip();
        try {
            if (!v.isEmpty() && v.length() <= 15 && v.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(v);
            }
            return Instant.parse(v).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw ApiException.badRequest(param + " must be epoch milliseconds or an ISO-8601 instant like 2026-11-24T10:00:00Z, got '"
                    + cut(v) + "'");
        }
    }

    static int limit(Context ctx, int def, int max) {
        String raw = ctx.queryParam("limit");
        if (raw == null || raw.isBlank()) {
            return def;
        }
        try {
            int v = Integer.parseInt(raw.strip());
            if (v >= 1 && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("limit must be an integer between 1 and " + max + ", got '" + cut(raw) + "'");
    }

    /** Runs {@code body}, turning the model's IllegalArgumentException into a 400 with its sentence. */
    static <T> T valid(java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static String text(String value, String field, int max, boolean required) {
        String s = value == null ? "" : value.strip();
        if (required && s.isEmpty()) {
            throw ApiException.badRequest(field + " is required");
        }
        if (s.length() > max) {
            throw ApiException.badRequest(field + " must be at most " + max + " characters, got " + s.length());
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                throw ApiException.badRequest(field + " must not contain control characters (position " + i + ")");
            }
        }
        return s.isEmpty() ? null : s;
    }

    static String cut(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}

package dev.servmon.hub.api;

import java.util.Map;

/**
 * A request that cannot be served, with the HTTP status and a detail for the person who sent
 * it. Rendered as an RFC 9457 problem body by the route table's exception handler.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final Map<String, String> headers;
    private final Map<String, Object> extensions;

    public ApiException(int status, String detail) {
        this(status, detail, Map.of());
    }

    public ApiException(int status, String detail, Map<String, String> headers) {
        this(status, detail, headers, Map.of());
    }

    /**
     * @param extensions extra members of the problem body (RFC 9457 extensions), e.g.
     *     {@code "totpRequired": true}, so clients can act without parsing the detail
     */
    public ApiException(int status, String detail, Map<String, String> headers, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.extensions = Map.copyOf(extensions);
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, detail);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, detail);
    }
}

package dev.servmon.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servmon.protocol.Problem;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers as problem JSON, like every answer of the API. Jetty refuses some
 * requests before Javalin sees them: a URI with {@code ..} above the root, an encoded NUL or
 * {@code ..}, a raw backslash, a malformed request line or header. Its default handler answered
 * those with an HTML page (and without the security headers); this one writes the same problem
 * body the routes do, with the reason Jetty gives and the security headers. No stack trace, ever.
 */
final class ProblemErrorHandler extends ErrorHandler {
    private static final HttpField PROBLEM_TYPE = new HttpField(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE + ";charset=utf-8");
    private final ObjectMapper json;
    /** The headers the routes' before-handler sets ({@link HttpServers#securityHeaders}), which these answers never pass. */
    private final List<HttpField> security;

    ProblemErrorHandler(ObjectMapper json, Map<String, String> securityHeaders) {
        this.json = json;
        this.security = securityHeaders.entrySet().stream().map(e -> new HttpField(e.getKey(), e.getValue())).toList();
    }

    private void headers(HttpFields.Mutable fields) {
        fields.put(PROBLEM_TYPE);
        security.forEach(fields::put);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        headers(response.getHeaders());
        response.write(true, body(code, message), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        headers(fields);
        return body(status, reason);
    }

    private ByteBuffer body(int status, String reason) {
        String title = HttpStatus.getMessage(status);
        String detail = reason == null || reason.isBlank() || reason.equals(title)
                ? "the request was refused before it reached the API (" + title + ")"
                : "the request was refused before it reached the API: " + reason;
        try {
            return ByteBuffer.wrap(json.writeValueAsBytes(new Problem("about:blank", title, status, detail)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem body failed to serialise", e);
        }
    }
}

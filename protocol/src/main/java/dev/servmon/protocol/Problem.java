package dev.servmon.protocol;

/**
 * An RFC 9457 problem body, as the hub sends with every 4xx and 5xx answer.
 *
 * @param type a URI naming the kind of problem ({@code about:blank} when the status says all)
 * @param title short, fixed summary of the kind of problem
 * @param status the HTTP status code
 * @param detail what went wrong with this request, for a person to read
 */
public record Problem(String type, String title, int status, String detail) {
    /** Media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";
}

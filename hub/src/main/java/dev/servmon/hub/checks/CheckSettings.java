package dev.servmon.hub.checks;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The type-specific part of a check, one flat object for every type (each type reads its own
 * fields; {@link CheckValidator} refuses fields that do not belong to the type). Stored as JSON
 * in {@code checks.settings}.
 *
 * @param url HTTP: the URL (http or https)
 * @param method HTTP: GET (default) or HEAD
 * @param expectedStatus HTTP: accepted status codes, e.g. {@code 200-399} (default) or {@code 200,204,301-302}
 * @param keyword HTTP: text the body must contain (or, with {@code keywordAbsent}, must not)
 * @param keywordAbsent HTTP: the keyword must be absent
 * @param followRedirects HTTP: follow 3xx answers (default true)
 * @param ignoreTlsErrors HTTP: accept any certificate and host name (default false)
 * @param certMinDays HTTP: DOWN when the certificate expires in fewer days
 * @param host TCP, PING: host name or address; DNS: not used
 * @param port TCP: port
 * @param dnsName DNS: the name to resolve
 * @param recordType DNS: A (default), AAAA, MX or TXT
 * @param dnsServer DNS: server to ask ({@code 192.0.2.53} or {@code host:port}); absent: the system resolver (A and AAAA only)
 * @param expected DNS: an answer that must be among the answers; DATABASE: the first column's expected text
 * @param jdbcUrl DATABASE: {@code jdbc:postgresql:…}, {@code jdbc:mysql:…}, {@code jdbc:mariadb:…} or {@code jdbc:sqlite:…}
 * @param user DATABASE: user name
 * @param password DATABASE: password; write-only (the API shows {@code ********})
 * @param query DATABASE: the query (default {@code SELECT 1})
 * @param path DIRECTORY: absolute path of the directory
 * @param glob DIRECTORY: which files count, e.g. {@code *.tar.gz} (default all)
 * @param minCount DIRECTORY: DOWN with fewer files
 * @param maxCount DIRECTORY: DOWN with more files
 * @param maxAgeSeconds DIRECTORY: DOWN when the newest file is older (or there is none)
 * @param graceSeconds PUSH: extra seconds after the interval before a missing push is DOWN (default 60)
 * @param command COMMAND: the command line the agent's shell runs ({@code /bin/sh -c}); exit status 0 is UP
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckSettings(
        String url,
        String method,
        String expectedStatus,
        String keyword,
        Boolean keywordAbsent,
        Boolean followRedirects,
        Boolean ignoreTlsErrors,
        Integer certMinDays,
        String host,
        Integer port,
        String dnsName,
        String recordType,
        String dnsServer,
        String expected,
        String jdbcUrl,
        String user,
        String password,
        String query,
        String path,
        String glob,
        Long minCount,
        Long maxCount,
        Long maxAgeSeconds,
        Integer graceSeconds,
        String command) {

    /** What the API shows in place of a stored password. */
    public static final String REDACTED = "********";

    public static CheckSettings empty() {
        return new CheckSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
    }

    /** The same settings with the password hidden (for every answer the API gives). */
    public CheckSettings redacted() {
        return password == null ? this : withPassword(REDACTED);
    }

    public CheckSettings withPassword(String p) {
        return new CheckSettings(url, method, expectedStatus, keyword, keywordAbsent, followRedirects, ignoreTlsErrors, certMinDays, host,
                port, dnsName, recordType, dnsServer, expected, jdbcUrl, user, p, query, path, glob, minCount, maxCount, maxAgeSeconds,
                graceSeconds, command);
    }
}

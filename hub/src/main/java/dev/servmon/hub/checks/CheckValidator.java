package dev.servmon.hub.checks;

import dev.servmon.hub.api.ApiException;
import dev.servmon.protocol.checks.StatusCodes;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.regex.Pattern;

/**
 * Turns what the API received into a {@link Check}, or refuses it with a 400 (422 for what
 * is valid but cannot be done yet) whose detail names the field and what to send instead.
 * Pure: the only outside fact it needs, whether a host exists, is passed in.
 */
public final class CheckValidator {
    public static final int MIN_INTERVAL_SECONDS = 10;
    public static final int MAX_INTERVAL_SECONDS = 86_400;
    public static final int MAX_TIMEOUT_SECONDS = 60;
    public static final int MAX_NAME_LENGTH = 64;
    public static final int MAX_COMMAND_LENGTH = 1000;
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._\\-]{1,253}|[0-9A-Fa-f:.%a-z]{2,60}");
    private static final Set<String> JDBC_PREFIXES = Set.of("jdbc:postgresql:", "jdbc:mysql:", "jdbc:mariadb:", "jdbc:sqlite:");
    private static final Set<String> RECORD_TYPES = Set.of("A", "AAAA", "MX", "TXT");

    /** The settings fields each type reads; anything else sent is refused. */
    private static final Map<CheckType, Set<String>> FIELDS = Map.of(
            CheckType.HTTP, Set.of("url", "method", "expectedStatus", "keyword", "keywordAbsent", "followRedirects", "ignoreTlsErrors", "certMinDays"),
            CheckType.TCP, Set.of("host", "port"),
            CheckType.DNS, Set.of("dnsName", "recordType", "dnsServer", "expected"),
            CheckType.PING, Set.of("host"),
            CheckType.DATABASE, Set.of("jdbcUrl", "user", "password", "query", "expected"),
            CheckType.DIRECTORY, Set.of("path", "glob", "minCount", "maxCount", "maxAgeSeconds"),
            CheckType.PUSH, Set.of("graceSeconds"),
            CheckType.COMMAND, Set.of("command"));

    private CheckValidator() {}

    /**
     * A valid check from {@code in}. {@code previous} is the stored check on an update (its
     * password is kept when the client sends back {@link CheckSettings#REDACTED}), null on create.
     */
    public static Check validate(CheckInput in, Check previous, long id, long createdAtMs, LongPredicate hostExists) {
        String name = name(in.name());
        CheckType type;
        try {
            type = CheckType.of(in.type());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (in.agentHostId() != null && !hostExists.test(in.agentHostId())) {
            throw ApiException.badRequest("agentHostId " + in.agentHostId() + " names no host; pick one from GET /api/v1/hosts, "
                    + "or leave it empty so the hub runs the check");
        }
        runsWhereItCan(type, in.agentHostId() != null);
        if (in.hostId() != null && !hostExists.test(in.hostId())) {
            throw ApiException.badRequest("hostId " + in.hostId() + " names no host; pick one from GET /api/v1/hosts or leave it empty");
        }
        int interval = in.intervalSeconds() == null ? 60 : in.intervalSeconds();
        if (interval < MIN_INTERVAL_SECONDS || interval > MAX_INTERVAL_SECONDS) {
            throw ApiException.badRequest("intervalSeconds must be between " + MIN_INTERVAL_SECONDS + " and " + MAX_INTERVAL_SECONDS
                    + " (1 day), got " + interval);
        }
        int timeout = in.timeoutSeconds() == null ? Math.min(Check.DEFAULT_TIMEOUT_SECONDS, interval) : in.timeoutSeconds();
        if (timeout < 1 || timeout > MAX_TIMEOUT_SECONDS || timeout > interval) {
            throw ApiException.badRequest("timeoutSeconds must be between 1 and " + Math.min(MAX_TIMEOUT_SECONDS, interval)
                    + " (at most the interval), got " + timeout);
        }
        CheckSettings settings = in.settings() == null ? CheckSettings.empty() : in.settings();
        onlyFieldsOf(type, settings);
        if (CheckSettings.REDACTED.equals(settings.password())) {
            String kept = previous == null ? null : previous.settings().password();
            if (kept == null) {
                throw ApiException.badRequest("settings.password is the placeholder " + CheckSettings.REDACTED + "; send the real password");
            }
            settings = settings.withPassword(kept);
        }
        try {
            settings = switch (type) {
                case HTTP -> http(settings);
                case TCP -> tcp(settings);
                case DNS -> dns(settings);
                case PING -> ping(settings);
                case DATABASE -> database(settings);
                case DIRECTORY -> directory(settings);
                case PUSH -> push(settings);
                case COMMAND -> command(settings);
            };
            if (in.agentHostId() != null) {
                forAgent(settings);
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return new Check(id, name, type, in.hostId(), in.agentHostId(), interval, timeout, in.enabled() == null || in.enabled(),
                in.publicOnStatusPage() != null && in.publicOnStatusPage(), settings, createdAtMs);
    }

    /** Database and push checks stay on the hub, command checks never run there. */
    private static void runsWhereItCan(CheckType type, boolean onAgent) {
        if (onAgent && type == CheckType.DATABASE) {
            throw ApiException.badRequest("database checks are run by the hub only (it ships the database drivers); leave agentHostId empty");
        }
        if (onAgent && type == CheckType.PUSH) {
            throw ApiException.badRequest("push checks are not run by anyone: they wait for pushes; leave agentHostId empty");
        }
        if (!onAgent && type == CheckType.COMMAND) {
            throw ApiException.badRequest("command checks run on an agent, as the agent's user; set agentHostId to the host whose agent "
                    + "runs the command (the hub runs no commands on its own machine)");
        }
    }

    /** What an agent cannot do that the hub can: DNS servers of its own (it asks its system resolver). */
    private static void forAgent(CheckSettings s) {
        if (s.dnsServer() != null) {
            throw new IllegalArgumentException("settings.dnsServer is asked by the hub only: an agent asks its system resolver "
                    + "(A and AAAA); leave dnsServer or agentHostId empty");
        }
    }

    static String name(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw ApiException.badRequest("name must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("name must not contain control characters");
        }
        return name;
    }

    private static void onlyFieldsOf(CheckType type, CheckSettings s) {
        Set<String> allowed = FIELDS.get(type);
        for (RecordComponent c : CheckSettings.class.getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(s);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read settings." + c.getName(), e);
            }
            if (v != null && !allowed.contains(c.getName())) {
                throw ApiException.badRequest("settings." + c.getName() + " does not apply to " + type.label() + " checks; they take "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static CheckSettings http(CheckSettings s) {
        String url = required("settings.url", s.url(), 2048);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("settings.url is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("settings.url must be an http:// or https:// URL with a host, got '" + shorten(url) + "'");
        }
        String method = s.method() == null ? "GET" : s.method().strip().toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new IllegalArgumentException("settings.method must be GET or HEAD, got '" + shorten(s.method()) + "'");
        }
        String expected = StatusCodes.parse(s.expectedStatus()).text();
        String keyword = s.keyword() == null || s.keyword().isEmpty() ? null : s.keyword();
        if (keyword != null && keyword.length() > 200) {
            throw new IllegalArgumentException("settings.keyword must be at most 200 characters");
        }
        if (keyword != null && method.equals("HEAD")) {
            throw new IllegalArgumentException("settings.keyword needs method GET: a HEAD answer has no body");
        }
        if (Boolean.TRUE.equals(s.keywordAbsent()) && keyword == null) {
            throw new IllegalArgumentException("settings.keywordAbsent needs settings.keyword");
        }
        if (s.certMinDays() != null && (s.certMinDays() < 0 || s.certMinDays() > 3650)) {
            throw new IllegalArgumentException("settings.certMinDays must be between 0 and 3650, got " + s.certMinDays());
        }
        if (s.certMinDays() != null && !scheme.equals("https")) {
            throw new IllegalArgumentException("settings.certMinDays needs an https:// URL");
        }
        return new CheckSettings(url, method, expected, keyword, keyword == null ? null : Boolean.TRUE.equals(s.keywordAbsent()),
                s.followRedirects() == null || s.followRedirects(), Boolean.TRUE.equals(s.ignoreTlsErrors()), s.certMinDays(),
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static CheckSettings tcp(CheckSettings s) {
        String host = hostName("settings.host", required("settings.host", s.host(), 253));
        if (s.port() == null || s.port() < 1 || s.port() > 65535) {
            throw new IllegalArgumentException("settings.port must be between 1 and 65535, got " + s.port());
        }
        return onlyHost(host, s.port());
    }

    private static CheckSettings ping(CheckSettings s) {
        return onlyHost(hostName("settings.host", required("settings.host", s.host(), 253)), null);
    }

    private static CheckSettings onlyHost(String host, Integer port) {
        return new CheckSettings(null, null, null, null, null, null, null, null, host, port, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
    }

    private static CheckSettings dns(CheckSettings s) {
        String name = hostName("settings.dnsName", required("settings.dnsName", s.dnsName(), 253));
        String type = s.recordType() == null ? "A" : s.recordType().strip().toUpperCase(Locale.ROOT);
        if (!RECORD_TYPES.contains(type)) {
            throw new IllegalArgumentException("settings.recordType must be A, AAAA, MX or TXT, got '" + shorten(s.recordType()) + "'");
        }
        String server = s.dnsServer() == null || s.dnsServer().isBlank() ? null : s.dnsServer().strip();
        if (server != null) {
            HostPort.parse("settings.dnsServer", server, 53);
        } else if (!type.equals("A") && !type.equals("AAAA")) {
            throw new IllegalArgumentException("settings.recordType " + type + " needs settings.dnsServer: the system resolver answers only A and AAAA");
        }
        String expected = optional("settings.expected", s.expected(), 255);
        return new CheckSettings(null, null, null, null, null, null, null, null, null, null, name, type, server, expected, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    private static CheckSettings database(CheckSettings s) {
        String url = required("settings.jdbcUrl", s.jdbcUrl(), 1024);
        if (JDBC_PREFIXES.stream().noneMatch(url::startsWith)) {
            throw new IllegalArgumentException("settings.jdbcUrl must start with jdbc:postgresql:, jdbc:mysql:, jdbc:mariadb: or jdbc:sqlite: "
                    + "(the drivers the hub ships), got '" + shorten(Check.withoutParameters(url)) + "'");
        }
        String query = s.query() == null || s.query().isBlank() ? "SELECT 1" : s.query().strip();
        if (query.length() > 4000) {
            throw new IllegalArgumentException("settings.query must be at most 4000 characters");
        }
        return new CheckSettings(null, null, null, null, null, null, null, null, null, null, null, null, null,
                optional("settings.expected", s.expected(), 255), url, optional("settings.user", s.user(), 128),
                s.password() == null || s.password().isEmpty() ? null : lengthAtMost("settings.password", s.password(), 1024), query,
                null, null, null, null, null, null, null);
    }

    private static CheckSettings directory(CheckSettings s) {
        String path = required("settings.path", s.path(), 4096);
        Path p;
        try {
            p = Path.of(path);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("settings.path is not a valid path: " + e.getMessage());
        }
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("settings.path must be an absolute path, got '" + shorten(path) + "'");
        }
        String glob = optional("settings.glob", s.glob(), 200);
        if (glob != null) {
            if (glob.contains("/")) {
                throw new IllegalArgumentException("settings.glob matches file names in the directory, so it must not contain '/'");
            }
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("settings.glob is not a valid pattern: " + e.getMessage());
            }
        }
        nonNegative("settings.minCount", s.minCount());
        nonNegative("settings.maxCount", s.maxCount());
        if (s.minCount() != null && s.maxCount() != null && s.minCount() > s.maxCount()) {
            throw new IllegalArgumentException("settings.minCount (" + s.minCount() + ") must not be above settings.maxCount (" + s.maxCount() + ")");
        }
        if (s.maxAgeSeconds() != null && (s.maxAgeSeconds() < 1 || s.maxAgeSeconds() > 3650L * 86_400)) {
            throw new IllegalArgumentException("settings.maxAgeSeconds must be between 1 and 315360000 (10 years), got " + s.maxAgeSeconds());
        }
        return new CheckSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, p.normalize().toString(), glob, s.minCount(), s.maxCount(), s.maxAgeSeconds(), null, null);
    }

    private static CheckSettings command(CheckSettings s) {
        String command = required("settings.command", s.command(), MAX_COMMAND_LENGTH);
        if (command.chars().anyMatch(c -> c != '\t' && Character.isISOControl(c))) {
            throw new IllegalArgumentException("settings.command must be one line without control characters; put longer scripts in a "
                    + "file on the agent's machine and run that");
        }
        return new CheckSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, command);
    }

    private static CheckSettings push(CheckSettings s) {
        int grace = s.graceSeconds() == null ? Check.DEFAULT_GRACE_SECONDS : s.graceSeconds();
        if (grace < 0 || grace > MAX_INTERVAL_SECONDS) {
            throw new IllegalArgumentException("settings.graceSeconds must be between 0 and 86400, got " + grace);
        }
        return new CheckSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, grace, null);
    }

    /** A host name or IP literal; IllegalArgumentException naming {@code field} otherwise. */
    static String hostName(String field, String host) {
        if (host == null || !HOST.matcher(host).matches() || host.startsWith("-") || host.startsWith(".")) {
            throw new IllegalArgumentException(field + " must be a host name or IP address, got '" + shorten(host) + "'");
        }
        return host;
    }

    private static String required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return lengthAtMost(field, value.strip(), max);
    }

    private static String optional(String field, String value, int max) {
        return value == null || value.isBlank() ? null : lengthAtMost(field, value.strip(), max);
    }

    private static String lengthAtMost(String field, String value, int max) {
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + " characters");
        }
        return value;
    }

    private static void nonNegative(String field, Long v) {
        if (v != null && v < 0) {
            throw new IllegalArgumentException(field + " must be 0 or more, got " + v);
        }
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}

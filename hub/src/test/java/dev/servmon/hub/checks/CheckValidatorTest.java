package dev.servmon.hub.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.hub.api.ApiException;
import dev.servmon.protocol.checks.StatusCodes;
import dev.servmon.hub.api.Json;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What the API refuses, and the sentence it refuses it with. */
class CheckValidatorTest {

    private static Check valid(String type, Integer interval, String settings) {
        return CheckValidator.validate(input("c", type, interval, settings), null, 1, 0, id -> id == 7);
    }

    private static CheckSettings settings(String json) {
        try {
            return Json.mapper().readValue(json, CheckSettings.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static CheckInput input(String name, String type, Integer interval, String settings) {
        try {
            return new CheckInput(name, type, null, null, interval, null, null, null,
                    settings == null ? null : Json.mapper().readValue(settings, CheckSettings.class));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void refused(String type, Integer interval, String settings, int status, String detail) {
        assertThatThrownBy(() -> valid(type, interval, settings))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining(detail)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(status));
    }

    @Test
    void defaults_are_filled_in() {
        Check c = valid("http", null, "{\"url\":\"https://example.org/health\"}");
        assertThat(c.intervalSeconds()).isEqualTo(60);
        assertThat(c.timeoutSeconds()).isEqualTo(10);
        assertThat(c.enabled()).isTrue();
        assertThat(c.publicOnStatusPage()).isFalse();
        assertThat(c.settings().method()).isEqualTo("GET");
        assertThat(c.settings().expectedStatus()).isEqualTo("200-399");
        assertThat(c.settings().followRedirects()).isTrue();
        assertThat(c.settings().ignoreTlsErrors()).isFalse();
        assertThat(c.target()).isEqualTo("https://example.org/health");
        assertThat(valid("push", 3600, null).settings().graceSeconds()).isEqualTo(60);
    }

    @Test
    void bad_values_are_refused_with_the_field_named() {
        refused("http", 60, "{\"url\":\"ftp://example.org\"}", 400, "settings.url must be an http:// or https:// URL");
        refused("http", 60, "{\"url\":\"not a url\"}", 400, "settings.url");
        refused("http", 60, "{}", 400, "settings.url is required");
        refused("http", 5, "{\"url\":\"http://a\"}", 400, "intervalSeconds must be between 10 and 86400 (1 day), got 5");
        refused("http", 86_401, "{\"url\":\"http://a\"}", 400, "intervalSeconds must be between 10 and 86400");
        refused("smtp", 60, "{}", 400, "type must be one of http, tcp, dns, ping, database, directory, push, command, got 'smtp'");
        refused(null, 60, "{}", 400, "type must be one of");
        refused("http", 60, "{\"url\":\"http://a\",\"expectedStatus\":\"2xx\"}", 400, "expectedStatus must be codes or ranges");
        refused("http", 60, "{\"url\":\"http://a\",\"method\":\"HEAD\",\"keyword\":\"x\"}", 400, "keyword needs method GET");
        refused("http", 60, "{\"url\":\"http://a\",\"certMinDays\":7}", 400, "certMinDays needs an https:// URL");
        refused("http", 60, "{\"url\":\"http://a\",\"port\":80}", 400, "settings.port does not apply to http checks");
        refused("tcp", 60, "{\"host\":\"db\"}", 400, "settings.port must be between 1 and 65535");
        refused("tcp", 60, "{\"host\":\"a b\",\"port\":5}", 400, "settings.host must be a host name or IP address");
        refused("ping", 60, "{}", 400, "settings.host is required");
        refused("dns", 60, "{\"dnsName\":\"example.org\",\"recordType\":\"MX\"}", 400, "recordType MX needs settings.dnsServer");
        refused("dns", 60, "{\"dnsName\":\"example.org\",\"recordType\":\"SRV\"}", 400, "recordType must be A, AAAA, MX or TXT");
        refused("dns", 60, "{\"dnsName\":\"example.org\",\"dnsServer\":\"1.1.1.1:99999\"}", 400, "bad port");
        refused("database", 60, "{\"jdbcUrl\":\"jdbc:oracle:thin:@db\"}", 400, "jdbc:postgresql:, jdbc:mysql:, jdbc:mariadb: or jdbc:sqlite:");
        refused("directory", 60, "{\"path\":\"backups\"}", 400, "settings.path must be an absolute path");
        refused("directory", 60, "{\"path\":\"/b\",\"minCount\":5,\"maxCount\":2}", 400, "minCount (5) must not be above settings.maxCount (2)");
        refused("directory", 60, "{\"path\":\"/b\",\"glob\":\"a/*\"}", 400, "must not contain '/'");
        refused("push", 60, "{\"graceSeconds\":-1}", 400, "graceSeconds must be between 0 and 86400");
    }

    @Test
    void names_timeouts_and_hosts_are_checked() {
        assertThatThrownBy(() -> CheckValidator.validate(input("", "ping", 60, "{\"host\":\"a\"}"), null, 1, 0, id -> true))
                .hasMessage("name must be 1 to 64 characters");
        var tooLong = new CheckInput("t", "ping", null, null, 10, 20, null, null, CheckSettings.empty());
        assertThatThrownBy(() -> CheckValidator.validate(tooLong, null, 1, 0, id -> true))
                .hasMessageContaining("timeoutSeconds must be between 1 and 10 (at most the interval), got 20");
        var unknownHost = new CheckInput("t", "push", 99L, null, 60, null, null, null, null);
        assertThatThrownBy(() -> CheckValidator.validate(unknownHost, null, 1, 0, id -> id == 7))
                .hasMessageContaining("hostId 99 names no host");
    }

    @Test
    void an_agent_runs_a_check_when_its_host_exists_and_the_type_can_run_there() {
        var viaAgent = new CheckInput("t", "directory", null, 7L, 60, null, null, null, settings("{\"path\":\"/srv/backups\",\"maxCount\":3}"));
        assertThat(CheckValidator.validate(viaAgent, null, 1, 0, id -> id == 7L).agentHostId()).isEqualTo(7L);
        assertThatThrownBy(() -> CheckValidator.validate(viaAgent, null, 1, 0, id -> false))
                .hasMessageContaining("agentHostId 7 names no host");

        var database = new CheckInput("t", "database", null, 7L, 60, null, null, null, settings("{\"jdbcUrl\":\"jdbc:sqlite:/x.db\"}"));
        assertThatThrownBy(() -> CheckValidator.validate(database, null, 1, 0, id -> true))
                .hasMessageContaining("database checks are run by the hub only");
        var push = new CheckInput("t", "push", null, 7L, 60, null, null, null, null);
        assertThatThrownBy(() -> CheckValidator.validate(push, null, 1, 0, id -> true)).hasMessageContaining("push checks are not run");
        var dnsServer = new CheckInput("t", "dns", null, 7L, 60, null, null, null, settings("{\"dnsName\":\"a.example\",\"dnsServer\":\"192.0.2.53\"}"));
        assertThatThrownBy(() -> CheckValidator.validate(dnsServer, null, 1, 0, id -> true))
                .hasMessageContaining("settings.dnsServer is asked by the hub only");
    }

    @Test
    void command_checks_run_only_on_an_agent_and_are_one_line() {
        var onAgent = new CheckInput("t", "command", null, 7L, 60, null, null, null, settings("{\"command\":\"  test -f /srv/ok  \"}"));
        Check c = CheckValidator.validate(onAgent, null, 1, 0, id -> true);
        assertThat(c.settings().command()).isEqualTo("test -f /srv/ok");
        assertThat(c.target()).isEqualTo("test -f /srv/ok");

        var onHub = new CheckInput("t", "command", null, null, 60, null, null, null, settings("{\"command\":\"true\"}"));
        assertThatThrownBy(() -> CheckValidator.validate(onHub, null, 1, 0, id -> true))
                .hasMessageContaining("command checks run on an agent");
        var twoLines = new CheckInput("t", "command", null, 7L, 60, null, null, null, settings("{\"command\":\"true\\nrm -rf /\"}"));
        assertThatThrownBy(() -> CheckValidator.validate(twoLines, null, 1, 0, id -> true)).hasMessageContaining("must be one line");
        var none = new CheckInput("t", "command", null, 7L, 60, null, null, null, null);
        assertThatThrownBy(() -> CheckValidator.validate(none, null, 1, 0, id -> true)).hasMessageContaining("settings.command is required");
        var http = new CheckInput("t", "http", null, 7L, 60, null, null, null, settings("{\"url\":\"http://a\",\"command\":\"x\"}"));
        assertThatThrownBy(() -> CheckValidator.validate(http, null, 1, 0, id -> true))
                .hasMessageContaining("settings.command does not apply to http checks");
    }

    @Test
    void the_password_is_kept_when_the_placeholder_comes_back() {
        Check old = valid("database", 60, "{\"jdbcUrl\":\"jdbc:postgresql://db/app?ssl=true\",\"password\":\"s3cret\"}");
        assertThat(old.settings().redacted().password()).isEqualTo("********");
        assertThat(old.target()).isEqualTo("jdbc:postgresql://db/app");
        var edit = input("c", "database", 60, "{\"jdbcUrl\":\"jdbc:postgresql://db/app\",\"password\":\"********\"}");
        assertThat(CheckValidator.validate(edit, old, 1, 0, id -> true).settings().password()).isEqualTo("s3cret");
        assertThatThrownBy(() -> CheckValidator.validate(edit, null, 1, 0, id -> true)).hasMessageContaining("send the real password");
        assertThat(Check.withoutParameters("jdbc:mysql://root:pw@db:3306/app?x=1")).isEqualTo("jdbc:mysql://db:3306/app");
    }

    @Test
    void status_code_sets_parse() {
        var codes = StatusCodes.parse("200-299, 301,404");
        assertThat(codes.accepts(204)).isTrue();
        assertThat(codes.accepts(301)).isTrue();
        assertThat(codes.accepts(302)).isFalse();
        assertThat(codes.accepts(404)).isTrue();
        assertThatThrownBy(() -> StatusCodes.parse("399-200")).hasMessageContaining("goes backwards");
    }
}

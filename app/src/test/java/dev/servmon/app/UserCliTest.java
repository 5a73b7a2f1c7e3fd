package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.hub.Hub;
import dev.servmon.hub.HubConfig;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code servmon user add|passwd|list} on a data directory, and its refusal while a hub runs there. */
class UserCliTest {
    @TempDir
    Path data;

    static CliTest.Result run(String stdin, String... args) {
        InputStream old = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return CliTest.run(args);
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void every_user_command_has_help() {
        for (String cmd : new String[] {"add", "passwd", "list"}) {
            var r = CliTest.run("user", cmd, "--help");
            assertThat(r.code()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: servmon user " + cmd).contains("--data");
        }
        assertThat(CliTest.run("user", "--help").out()).contains("add", "passwd", "list", "/api/v1/users");
        assertThat(CliTest.run("user").code()).isEqualTo(2);
    }

    @Test
    void users_added_and_changed_offline_sign_in_to_the_hub_and_the_hub_makes_no_admin_of_its_own() throws Exception {
        String dir = data.toString();
        var added = run("first-passphrase-1\n", "user", "add", "alice", "--role", "admin", "--password-stdin", "--data", dir);
        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.out()).contains("user add: alice (id 1, admin) added");
        var bob = run("bobs-passphrase-22\n", "user", "add", "bob", "--role", "viewer", "--scope", "web,DB", "--password-stdin", "--data", dir);
        assertThat(bob.code()).as(bob.err()).isZero();

        var list = CliTest.run("user", "list", "--data", dir);
        assertThat(list.code()).isZero();
        assertThat(list.out()).containsPattern("1\\s+alice\\s+admin\\s+enabled\\s+all hosts")
                .containsPattern("2\\s+bob\\s+viewer\\s+enabled\\s+db,web");

        var passwd = run("second-passphrase-2\n", "user", "passwd", "alice", "--password-stdin", "--data", dir);
        assertThat(passwd.code()).as(passwd.err()).isZero();
        assertThat(passwd.out()).contains("password of alice changed");

        try (Hub hub = Hub.start(HubConfig.defaults(data).withPorts("127.0.0.1", 0, "127.0.0.1", 0))) {
            assertThat(hub.generatedAdminPassword()).as("users exist: no generated admin").isEmpty();
            assertThat(login(hub, "alice", "first-passphrase-1")).isEqualTo(401);
            assertThat(login(hub, "alice", "second-passphrase-2")).isEqualTo(200);
            assertThat(login(hub, "admin", "second-passphrase-2")).isEqualTo(401);

            var refused = CliTest.run("user", "list", "--data", dir);
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.err()).contains("servmon user list: a hub is running on " + data.toAbsolutePath().normalize())
                    .contains("stop it first").contains("POST /api/v1/users");
            var refusedAdd = run("third-passphrase-3\n", "user", "add", "carol", "--role", "viewer", "--password-stdin", "--data", dir);
            assertThat(refusedAdd.code()).isEqualTo(2);
            assertThat(refusedAdd.err()).contains("a hub is running");
            var audit = hub.audit().query(new dev.servmon.hub.audit.AuditLog.Filter("cli", null, null, null, null), 0, 10);
            assertThat(audit.entries()).extracting(e -> e.action()).containsExactly("cli user passwd", "cli user add", "cli user add");
        }
    }

    @Test
    void weak_passwords_taken_names_and_unknown_users_are_refused_with_what_to_do() {
        String dir = data.toString();
        var common = run("password123\n", "user", "add", "dan", "--role", "viewer", "--password-stdin", "--data", dir);
        assertThat(common.code()).isEqualTo(2);
        assertThat(common.err()).contains("servmon user add: password is one of the most common passwords");
        var shortOne = run("short\n", "user", "add", "dan", "--role", "viewer", "--password-stdin", "--data", dir);
        assertThat(shortOne.err()).contains("at least 10 characters");
        var role = run("a-long-passphrase\n", "user", "add", "dan", "--role", "root", "--password-stdin", "--data", dir);
        assertThat(role.code()).isEqualTo(2);
        assertThat(role.err()).contains("must be one of viewer, operator, admin");
        assertThat(run("a-long-passphrase\n", "user", "add", "dan", "--role", "viewer", "--password-stdin", "--data", dir).code()).isZero();
        var taken = run("a-long-passphrase\n", "user", "add", "DAN", "--role", "viewer", "--password-stdin", "--data", dir);
        assertThat(taken.err()).contains("a user named 'DAN' already exists");
        var unknown = run("a-long-passphrase\n", "user", "passwd", "erin", "--password-stdin", "--data", dir);
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("there is no user 'erin'");
        var empty = run("", "user", "passwd", "dan", "--password-stdin", "--data", dir);
        assertThat(empty.err()).contains("--password-stdin got no password");
        var noDb = CliTest.run("user", "list", "--data", data.resolve("nothing-here").toString());
        assertThat(noDb.code()).isEqualTo(2);
        assertThat(noDb.err()).contains("there is no servmon database in");
    }

    private static int login(Hub hub, String user, String password) throws Exception {
        var body = "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/api/v1/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}

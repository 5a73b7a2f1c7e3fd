package dev.servmon.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsServer;
import dev.servmon.agent.control.CommandHandlers;
import dev.servmon.agent.control.CommandResult;
import dev.servmon.agent.transport.Json;
import dev.servmon.protocol.testing.TestTargets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check.run} against real targets on loopback, temporary directories and real commands. */
class CheckRunTest {
    static final CheckRun RUN = new CheckRun(Clock.systemUTC(), System.getProperty("os.name", ""));

    /** Runs {@code check.run} with args given as the hub sends them (JSON parsed by the agent's reader). */
    @SuppressWarnings("unchecked")
    static CommandResult run(String argsJson) throws Exception {
        return RUN.handle((Map<String, Object>) Json.parse(argsJson));
    }

    static CommandResult run(String type, String settingsJson) throws Exception {
        return run("{\"type\":\"" + type + "\",\"timeoutSeconds\":5,\"settings\":" + settingsJson + "}");
    }

    static boolean up(CommandResult r) {
        assertThat(r.ok()).as("the probe ran: " + r.message()).isTrue();
        return (Boolean) r.data().get("up");
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void the_handler_is_registered_as_check_run() {
        var handlers = new CommandHandlers();
        CheckRun.register(handlers);
        assertThat(handlers.find("check.run")).isPresent();
    }

    @Test
    void database_and_unknown_types_fail_with_a_reason() throws Exception {
        CommandResult db = run("database", "{\"jdbcUrl\":\"jdbc:sqlite:/tmp/x.db\"}");
        assertThat(db.ok()).isFalse();
        assertThat(db.message()).contains("database checks are run by the hub only");
        CommandResult push = run("push", "{}");
        assertThat(push.ok()).isFalse();
        assertThat(push.message()).contains("does not run push checks");
        CommandResult noType = run("{\"settings\":{}}");
        assertThat(noType.ok()).isFalse();
        assertThat(noType.message()).contains("needs a type");
        CommandResult longTimeout = run("{\"type\":\"tcp\",\"timeoutSeconds\":600,\"settings\":{\"host\":\"127.0.0.1\",\"port\":1}}");
        assertThat(longTimeout.ok()).isFalse();
        assertThat(longTimeout.message()).contains("timeoutSeconds must be between 1 and 60, got 600");
        CommandResult noHost = run("tcp", "{\"port\":22}");
        assertThat(noHost.ok()).isFalse();
        assertThat(noHost.message()).isEqualTo("settings.host is required");
    }

    @Nested
    class Tcp {
        @Test
        void a_listening_port_is_up_and_a_closed_one_down() throws Exception {
            try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
                CommandResult r = run("tcp", "{\"host\":\"127.0.0.1\",\"port\":" + server.getLocalPort() + "}");
                assertThat(up(r)).isTrue();
                assertThat(r.message()).isEqualTo("connected to 127.0.0.1:" + server.getLocalPort());
                assertThat((Double) r.data().get("responseMs")).isNotNegative();
            }
            int port = closedPort();
            CommandResult down = run("tcp", "{\"host\":\"127.0.0.1\",\"port\":" + port + "}");
            assertThat(up(down)).isFalse();
            assertThat(down.message()).isEqualTo("connection refused by 127.0.0.1:" + port);
        }
    }

    @Nested
    class Https {
        static HttpsServer server;
        static String base;

        @BeforeAll
        static void start(@TempDir Path dir) throws Exception {
            server = TestTargets.https(TestTargets.selfSigned(dir, 3));
            base = "https://127.0.0.1:" + server.getAddress().getPort();
        }

        @AfterAll
        static void stop() {
            server.stop(0);
        }

        @Test
        void a_self_signed_certificate_is_down_unless_tls_errors_are_ignored_and_its_days_are_read() throws Exception {
            CommandResult strict = run("http", "{\"url\":\"" + base + "/\"}");
            assertThat(up(strict)).isFalse();
            assertThat(strict.message()).startsWith("TLS failed").contains("ignoreTlsErrors");

            CommandResult lenient = run("http", "{\"url\":\"" + base + "/\",\"ignoreTlsErrors\":true}");
            assertThat(up(lenient)).as(lenient.message()).isTrue();
            assertThat(lenient.data()).containsEntry("value", 200.0);
            assertThat((Integer) lenient.data().get("certDaysLeft")).isBetween(2, 3);
            assertThat(lenient.message()).isEqualTo("status 200, certificate expires in " + lenient.data().get("certDaysLeft") + " days");

            CommandResult tooSoon = run("http", "{\"url\":\"" + base + "/\",\"ignoreTlsErrors\":true,\"certMinDays\":14}");
            assertThat(up(tooSoon)).isFalse();
            assertThat(tooSoon.message()).contains("minimum 14");
        }

        @Test
        void keywords_must_be_present_or_absent() throws Exception {
            String url = "\"url\":\"" + base + "/\",\"ignoreTlsErrors\":true";
            assertThat(up(run("http", "{" + url + ",\"keyword\":\"says hello\"}"))).isTrue();
            CommandResult missing = run("http", "{" + url + ",\"keyword\":\"goodbye\"}");
            assertThat(up(missing)).isFalse();
            assertThat(missing.message()).isEqualTo("status 200, but 'goodbye' is not in the body");
            assertThat(up(run("http", "{" + url + ",\"keyword\":\"goodbye\",\"keywordAbsent\":true}"))).isTrue();
            CommandResult present = run("http", "{" + url + ",\"keyword\":\"hello\",\"keywordAbsent\":true}");
            assertThat(up(present)).isFalse();
            assertThat(present.message()).contains("the body contains 'hello'");
        }

        @Test
        void status_codes_redirects_and_head_requests() throws Exception {
            String tls = ",\"ignoreTlsErrors\":true";
            CommandResult notFound = run("http", "{\"url\":\"" + base + "/missing\"" + tls + "}");
            assertThat(up(notFound)).isFalse();
            assertThat(notFound.data()).containsEntry("value", 404.0);
            assertThat(notFound.message()).isEqualTo("status 404, expected 200-399");
            assertThat(up(run("http", "{\"url\":\"" + base + "/missing\",\"expectedStatus\":\"404\"" + tls + "}"))).isTrue();

            assertThat(run("http", "{\"url\":\"" + base + "/moved\"" + tls + "}").data()).as("followed").containsEntry("value", 200.0);
            CommandResult notFollowed = run("http", "{\"url\":\"" + base + "/moved\",\"followRedirects\":false,\"expectedStatus\":\"200\"" + tls + "}");
            assertThat(notFollowed.data()).containsEntry("value", 302.0);
            assertThat(up(notFollowed)).isFalse();

            assertThat(up(run("http", "{\"url\":\"" + base + "/\",\"method\":\"HEAD\"" + tls + "}"))).isTrue();
        }

        @Test
        void a_closed_port_is_down_with_a_reason() throws Exception {
            CommandResult r = run("http", "{\"url\":\"http://127.0.0.1:" + closedPort() + "/\"}");
            assertThat(up(r)).isFalse();
            assertThat(r.message()).contains("refused");
        }
    }

    @Nested
    class Ping {
        @Test
        void loopback_answers_and_the_method_is_named() throws Exception {
            CommandResult r = run("ping", "{\"host\":\"127.0.0.1\"}");
            assertThat(up(r)).as(r.message()).isTrue();
            assertThat(r.data().get("method")).isIn("icmp-command", "icmp", "tcp-echo")
                    .isEqualTo(NetProbes.pingCommand() != null ? "icmp-command" : r.data().get("method"));
        }

        @Test
        void without_the_ping_command_is_reachable_is_used_and_named() throws Exception {
            ProbeResult r = NetProbes.ping("127.0.0.1", 2, null);
            assertThat(r.up()).as(r.message()).isTrue();
            assertThat(r.method()).isIn("icmp", "tcp-echo");
        }

        @Test
        void an_unknown_host_is_down() throws Exception {
            CommandResult r = run("ping", "{\"host\":\"no-such-host.invalid\"}");
            assertThat(up(r)).isFalse();
        }
    }

    @Nested
    class Dns {
        @Test
        void the_system_resolver_resolves_localhost_and_compares_the_expected_answer() throws Exception {
            CommandResult r = run("dns", "{\"dnsName\":\"localhost\",\"recordType\":\"A\",\"expected\":\"127.0.0.1\"}");
            assertThat(up(r)).as(r.message()).isTrue();
            assertThat(r.data()).containsEntry("method", "system");
            assertThat((Double) r.data().get("value")).isGreaterThanOrEqualTo(1.0);
            CommandResult wrong = run("dns", "{\"dnsName\":\"localhost\",\"expected\":\"192.0.2.1\"}");
            assertThat(up(wrong)).isFalse();
            assertThat(wrong.message()).startsWith("expected 192.0.2.1, got 127.0.0.1");
            CommandResult unknown = run("dns", "{\"dnsName\":\"no-such-host.invalid\"}");
            assertThat(up(unknown)).isFalse();
            assertThat(unknown.message()).isEqualTo("cannot resolve no-such-host.invalid (A)");
        }

        @Test
        void a_chosen_server_or_mx_is_left_to_the_hub() throws Exception {
            assertThat(run("dns", "{\"dnsName\":\"example.com\",\"dnsServer\":\"192.0.2.53\"}").message()).contains("run by the hub");
            assertThat(run("dns", "{\"dnsName\":\"example.com\",\"recordType\":\"MX\"}").message()).contains("A and AAAA records only");
        }
    }

    @Nested
    class Directory {
        @Test
        void files_are_counted_and_the_newest_age_judged(@TempDir Path dir) throws Exception {
            long now = System.currentTimeMillis();
            touch(dir.resolve("a.tar.gz"), now - 3 * 3600_000L);
            touch(dir.resolve("b.tar.gz"), now - 2 * 3600_000L);
            touch(dir.resolve("notes.txt"), now - 60_000L);
            Files.createDirectory(dir.resolve("sub.tar.gz"));

            CommandResult all = run("directory", "{\"path\":\"" + dir + "\"}");
            assertThat(up(all)).isTrue();
            assertThat(all.data()).as("directories do not count").containsEntry("value", 3.0);
            assertThat(all.message()).matches("3 files, newest 6[0-3] s old");

            CommandResult backups = run("directory", "{\"path\":\"" + dir + "\",\"glob\":\"*.tar.gz\",\"maxAgeSeconds\":3600}");
            assertThat(up(backups)).isFalse();
            assertThat(backups.data()).containsEntry("value", 2.0);
            assertThat(backups.message()).isEqualTo("2 files, newest 2 h old; the newest should be at most 60 min old");

            assertThat(up(run("directory", "{\"path\":\"" + dir + "\",\"glob\":\"*.tar.gz\",\"maxAgeSeconds\":10800}"))).isTrue();
            CommandResult tooFew = run("directory", "{\"path\":\"" + dir + "\",\"minCount\":5}");
            assertThat(up(tooFew)).isFalse();
            assertThat(tooFew.message()).endsWith("; at least 5 expected");
            assertThat(up(run("directory", "{\"path\":\"" + dir + "\",\"maxCount\":2}"))).isFalse();
            CommandResult missing = run("directory", "{\"path\":\"" + dir.resolve("nope") + "\"}");
            assertThat(up(missing)).isFalse();
            assertThat(missing.message()).isEqualTo("no directory " + dir.resolve("nope"));
        }

        private static void touch(Path f, long mtimeMs) throws IOException {
            Files.writeString(f, "x");
            Files.setLastModifiedTime(f, FileTime.fromMillis(mtimeMs));
        }
    }

    @Nested
    class Command {
        @Test
        void exit_status_zero_is_up_and_the_first_line_is_the_message_and_its_number_the_value(@TempDir Path dir) throws Exception {
            assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
            Files.writeString(dir.resolve("a"), "x");
            Files.writeString(dir.resolve("b"), "x");
            CommandResult count = run("command", "{\"command\":\"ls " + dir + " | wc -l\"}");
            assertThat(up(count)).isTrue();
            assertThat(count.message()).isEqualTo("2");
            assertThat(count.data()).containsEntry("value", 2.0);

            CommandResult text = run("command", "{\"command\":\"echo; echo backup fresh; echo second line\"}");
            assertThat(up(text)).isTrue();
            assertThat(text.message()).isEqualTo("backup fresh");
            assertThat(text.data()).doesNotContainKey("value");
        }

        @Test
        void a_non_zero_exit_is_down_with_its_status_and_what_it_said() throws Exception {
            assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
            CommandResult r = run("command", "{\"command\":\"echo disk almost full >&2; exit 3\"}");
            assertThat(up(r)).isFalse();
            assertThat(r.message()).isEqualTo("exit status 3: disk almost full");
        }

        @Test
        void a_command_past_its_timeout_is_stopped_and_down() throws Exception {
            assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
            long start = System.nanoTime();
            CommandResult r = run("{\"type\":\"command\",\"timeoutSeconds\":1,\"settings\":{\"command\":\"sleep 30\"}}");
            assertThat(up(r)).isFalse();
            assertThat(r.message()).contains("did not finish within 1.0 s");
            assertThat((System.nanoTime() - start) / 1_000_000L).isLessThan(10_000);
        }

        @Test
        void a_command_printing_more_than_a_pipe_holds_is_not_stalled() throws Exception {
            assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh");
            CommandResult r = run("command", "{\"command\":\"echo first; head -c 1000000 /dev/zero | tr '\\\\\\\\0' x; echo\"}");
            assertThat(up(r)).as(r.message()).isTrue();
            assertThat(r.message()).isEqualTo("first");
        }
    }
}

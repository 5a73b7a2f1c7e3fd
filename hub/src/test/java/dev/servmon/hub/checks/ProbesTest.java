package dev.servmon.hub.checks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsServer;
import dev.servmon.hub.api.Json;
import dev.servmon.hub.storage.DbConfig;
import dev.servmon.hub.storage.TestPostgres;
import dev.servmon.protocol.checks.PingOutput;
import dev.servmon.protocol.testing.TestTargets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every probe against a real target on this machine: loopback servers, files, databases. */
class ProbesTest {
    static final Clock CLOCK = Clock.systemUTC();

    /** A validated check of {@code type} with these settings (JSON), as the API would store it. */
    static Check check(String type, String settingsJson) {
        try {
            var settings = Json.mapper().readValue(settingsJson, CheckSettings.class);
            return CheckValidator.validate(new CheckInput("probe-test", type, null, null, 60, 5, true, false, settings), null, 1,
                    CLOCK.millis(), id -> false);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Nested
    class Https {
        static HttpsServer server;
        static String base;
        static Probes probes = new Probes(CLOCK);

        @BeforeAll
        static void start(@TempDir Path dir) throws Exception {
            server = TestTargets.https(TestTargets.selfSigned(dir, 3));
            base = "https://127.0.0.1:" + server.getAddress().getPort();
        }

        @AfterAll
        static void stop() {
            server.stop(0);
            probes.close();
        }

        @Test
        void a_self_signed_certificate_is_down_unless_tls_errors_are_ignored() {
            Outcome strict = probes.run(check("http", "{\"url\":\"" + base + "/\"}"));
            assertThat(strict.up()).isFalse();
            assertThat(strict.message()).startsWith("TLS failed").contains("ignoreTlsErrors");

            Outcome lenient = probes.run(check("http", "{\"url\":\"" + base + "/\",\"ignoreTlsErrors\":true}"));
            assertThat(lenient.up()).as(lenient.message()).isTrue();
            assertThat(lenient.value()).isEqualTo(200.0);
            assertThat(lenient.responseMs()).isPositive();
        }

        @Test
        void the_days_left_on_the_certificate_are_read_from_the_tls_session() {
            Outcome o = probes.run(check("http", "{\"url\":\"" + base + "/\",\"ignoreTlsErrors\":true}"));
            assertThat(o.certDaysLeft()).isBetween(2, 3);
            assertThat(o.message()).contains("certificate expires in " + o.certDaysLeft() + " days");

            Outcome tooSoon = probes.run(check("http", "{\"url\":\"" + base + "/\",\"ignoreTlsErrors\":true,\"certMinDays\":14}"));
            assertThat(tooSoon.up()).isFalse();
            assertThat(tooSoon.message()).contains("minimum 14");
        }

        @Test
        void keywords_must_be_present_or_absent() {
            String url = "\"url\":\"" + base + "/\",\"ignoreTlsErrors\":true";
            assertThat(probes.run(check("http", "{" + url + ",\"keyword\":\"says hello\"}")).up()).isTrue();
            Outcome missing = probes.run(check("http", "{" + url + ",\"keyword\":\"goodbye\"}"));
            assertThat(missing.up()).isFalse();
            assertThat(missing.message()).isEqualTo("status 200, but 'goodbye' is not in the body");
            assertThat(probes.run(check("http", "{" + url + ",\"keyword\":\"goodbye\",\"keywordAbsent\":true}")).up()).isTrue();
            Outcome present = probes.run(check("http", "{" + url + ",\"keyword\":\"hello\",\"keywordAbsent\":true}"));
            assertThat(present.up()).isFalse();
            assertThat(present.message()).contains("the body contains 'hello'");
        }

        @Test
        void status_codes_redirects_and_head_requests() {
            String tls = ",\"ignoreTlsErrors\":true";
            Outcome notFound = probes.run(check("http", "{\"url\":\"" + base + "/missing\"" + tls + "}"));
            assertThat(notFound.up()).isFalse();
            assertThat(notFound.value()).isEqualTo(404.0);
            assertThat(notFound.message()).isEqualTo("status 404, expected 200-399");
            assertThat(probes.run(check("http", "{\"url\":\"" + base + "/missing\",\"expectedStatus\":\"404\"" + tls + "}")).up()).isTrue();

            assertThat(probes.run(check("http", "{\"url\":\"" + base + "/moved\"" + tls + "}")).value()).as("followed").isEqualTo(200.0);
            Outcome notFollowed = probes.run(check("http", "{\"url\":\"" + base + "/moved\",\"followRedirects\":false,\"expectedStatus\":\"200\"" + tls + "}"));
            assertThat(notFollowed.value()).isEqualTo(302.0);
            assertThat(notFollowed.up()).isFalse();

            assertThat(probes.run(check("http", "{\"url\":\"" + base + "/\",\"method\":\"HEAD\"" + tls + "}")).up()).isTrue();
        }

        @Test
        void a_closed_port_is_down_with_a_reason() throws IOException {
            int port = closedPort();
            Outcome o = probes.run(check("http", "{\"url\":\"http://127.0.0.1:" + port + "/\"}"));
            assertThat(o.up()).isFalse();
            assertThat(o.message()).contains("refused");
        }
    }

    @Nested
    class Tcp {
        @Test
        void a_listening_port_is_up_and_a_closed_one_down() throws IOException {
            Probes probes = new Probes(CLOCK);
            try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                Outcome up = probes.run(check("tcp", "{\"host\":\"127.0.0.1\",\"port\":" + listener.getLocalPort() + "}"));
                assertThat(up.up()).isTrue();
                assertThat(up.message()).isEqualTo("connected to 127.0.0.1:" + listener.getLocalPort());
            }
            int closed = closedPort();
            Outcome down = probes.run(check("tcp", "{\"host\":\"127.0.0.1\",\"port\":" + closed + "}"));
            assertThat(down.up()).isFalse();
            assertThat(down.message()).isEqualTo("connection refused by 127.0.0.1:" + closed);
            Outcome unknown = probes.run(check("tcp", "{\"host\":\"no-such-host.invalid\",\"port\":80}"));
            assertThat(unknown.up()).isFalse();
            assertThat(unknown.message()).isEqualTo("unknown host no-such-host.invalid");
            probes.close();
        }
    }

    @Nested
    class Dns {
        final Probes probes = new Probes(CLOCK);

        @Test
        void the_system_resolver_resolves_localhost() {
            Outcome o = probes.run(check("dns", "{\"dnsName\":\"localhost\",\"expected\":\"127.0.0.1\"}"));
            assertThat(o.up()).as(o.message()).isTrue();
            assertThat(o.method()).isEqualTo("system");
            Outcome wrong = probes.run(check("dns", "{\"dnsName\":\"localhost\",\"expected\":\"10.9.9.9\"}"));
            assertThat(wrong.up()).isFalse();
            assertThat(wrong.message()).startsWith("expected 10.9.9.9, got ");
            assertThat(probes.run(check("dns", "{\"dnsName\":\"no-such-host.invalid\"}")).up()).isFalse();
        }

        @Test
        void a_chosen_server_is_asked_over_udp_for_a_aaaa_mx_and_txt() throws Exception {
            try (var server = new DnsResponder(Map.of(
                    "app.test A", List.of("192.0.2.10", "192.0.2.11"),
                    "app.test AAAA", List.of("2001:db8::10"),
                    "app.test MX", List.of("10 mail.app.test", "20 backup-mx.app.test"),
                    "app.test TXT", List.of("v=spf1 -all")))) {
                String at = ",\"dnsServer\":\"" + server.address() + "\"";
                Outcome a = probes.run(check("dns", "{\"dnsName\":\"app.test\",\"expected\":\"192.0.2.11\"" + at + "}"));
                assertThat(a.up()).as(a.message()).isTrue();
                assertThat(a.method()).isEqualTo("udp");
                assertThat(a.value()).isEqualTo(2.0);
                assertThat(a.message()).isEqualTo("192.0.2.10, 192.0.2.11");

                Outcome aaaa = probes.run(check("dns", "{\"dnsName\":\"app.test\",\"recordType\":\"AAAA\",\"expected\":\"2001:0db8:0:0:0:0:0:10\"" + at + "}"));
                assertThat(aaaa.up()).as(aaaa.message()).isTrue();

                Outcome mx = probes.run(check("dns", "{\"dnsName\":\"app.test\",\"recordType\":\"MX\",\"expected\":\"backup-mx.app.test.\"" + at + "}"));
                assertThat(mx.up()).as(mx.message()).isTrue();
                assertThat(mx.message()).isEqualTo("10 mail.app.test, 20 backup-mx.app.test");

                Outcome txt = probes.run(check("dns", "{\"dnsName\":\"app.test\",\"recordType\":\"TXT\",\"expected\":\"v=spf1 -all\"" + at + "}"));
                assertThat(txt.up()).as(txt.message()).isTrue();

                Outcome nx = probes.run(check("dns", "{\"dnsName\":\"gone.test\"" + at + "}"));
                assertThat(nx.up()).isFalse();
                assertThat(nx.message()).contains("NXDOMAIN");
            }
        }

        @Test
        void a_silent_server_times_out() throws Exception {
            try (var silent = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                Check c = check("dns", "{\"dnsName\":\"app.test\",\"dnsServer\":\"127.0.0.1:" + silent.getLocalPort() + "\"}");
                Check quick = new Check(c.id(), c.name(), c.type(), null, null, 10, 1, true, false, c.settings(), 0);
                Outcome o = probes.run(quick);
                assertThat(o.up()).isFalse();
                assertThat(o.message()).contains("no answer from 127.0.0.1:" + silent.getLocalPort() + " within 1 s");
            }
        }
    }

    @Nested
    class Ping {
        @Test
        void loopback_answers_and_the_method_is_named() {
            PingProbe probe = new PingProbe();
            Outcome o = probe.run(check("ping", "{\"host\":\"127.0.0.1\"}"));
            assertThat(o.up()).as(o.message()).isTrue();
            assertThat(o.method()).isIn("icmp-command", "icmp", "tcp-echo").isEqualTo(probe.method());
        }

        @Test
        void the_method_follows_the_capabilities() {
            assertThat(PingOutput.hasNetRaw("Name:\tjava\nCapEff:\t000001fffeffffff\n")).isTrue();
            assertThat(PingOutput.hasNetRaw("Name:\tjava\nCapEff:\t0000000000000000\n")).isFalse();
            assertThat(new PingProbe(null, false).method()).isEqualTo("tcp-echo");
            assertThat(new PingProbe(null, true).method()).isEqualTo("icmp");
            assertThat(PingOutput.roundTripMs("64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.045 ms")).isEqualTo(0.045);
        }
    }

    @Nested
    class Database {
        final Probes probes = new Probes(CLOCK);

        @Test
        void a_sqlite_query_gives_its_first_column_as_value(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("app.db");
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
                st.execute("CREATE TABLE jobs (state TEXT)");
                st.execute("INSERT INTO jobs VALUES ('queued'), ('queued'), ('done')");
            }
            Outcome o = probes.run(check("database", "{\"jdbcUrl\":\"jdbc:sqlite:" + file + "\",\"query\":\"SELECT count(*) FROM jobs WHERE state = 'queued'\"}"));
            assertThat(o.up()).as(o.message()).isTrue();
            assertThat(o.value()).isEqualTo(2.0);
            assertThat(o.message()).isEqualTo("query answered '2'");
            Outcome wrong = probes.run(check("database", "{\"jdbcUrl\":\"jdbc:sqlite:" + file + "\",\"query\":\"SELECT 'x'\",\"expected\":\"y\"}"));
            assertThat(wrong.up()).isFalse();
            assertThat(wrong.message()).isEqualTo("query answered 'x', expected 'y'");
            Outcome badSql = probes.run(check("database", "{\"jdbcUrl\":\"jdbc:sqlite:" + file + "\",\"query\":\"SELECT * FROM nope\"}"));
            assertThat(badSql.up()).isFalse();
            assertThat(badSql.message()).contains("no such table");
        }

        @Test
        void a_missing_sqlite_file_is_down_and_not_created(@TempDir Path dir) {
            Path file = dir.resolve("typo.db");
            assertThat(probes.run(check("database", "{\"jdbcUrl\":\"jdbc:sqlite:" + file + "\"}")).up()).isFalse();
            assertThat(file).doesNotExist();
        }

        @Test
        void postgresql_is_checked_with_user_and_password(@TempDir Path dir) {
            DbConfig pg = TestPostgres.freshDatabase(dir);
            Outcome o = probes.run(check("database", "{\"jdbcUrl\":\"" + pg.url() + "\",\"user\":\"" + pg.user() + "\",\"password\":\""
                    + pg.password() + "\",\"query\":\"SELECT 40 + 2\"}"));
            assertThat(o.up()).as(o.message()).isTrue();
            assertThat(o.value()).isEqualTo(42.0);
            Outcome refused = probes.run(check("database", "{\"jdbcUrl\":\"jdbc:postgresql://127.0.0.1:" + closedPortUnchecked() + "/x\"}"));
            assertThat(refused.up()).isFalse();
            assertThat(refused.message()).contains("SQLSTATE 08");
        }

        @Test
        void mysql_urls_reach_the_mariadb_driver() {
            Outcome o = probes.run(check("database", "{\"jdbcUrl\":\"jdbc:mysql://127.0.0.1:" + closedPortUnchecked() + "/app\"}"));
            assertThat(o.up()).isFalse();
            assertThat(o.message()).doesNotContain("no driver").containsIgnoringCase("connect");
        }
    }

    @Nested
    class Directory {
        final Probes probes = new Probes(CLOCK);

        @Test
        void files_are_counted_and_the_newest_age_judged(@TempDir Path dir) throws IOException {
            long now = System.currentTimeMillis();
            touch(dir.resolve("a.tar.gz"), now - 3 * 3600_000L);
            touch(dir.resolve("b.tar.gz"), now - 2 * 3600_000L);
            touch(dir.resolve("notes.txt"), now - 60_000L);
            Files.createDirectory(dir.resolve("sub.tar.gz"));

            Outcome all = probes.run(check("directory", "{\"path\":\"" + dir + "\"}"));
            assertThat(all.up()).isTrue();
            assertThat(all.value()).as("directories do not count").isEqualTo(3.0);
            assertThat(all.message()).as("a slow machine may take a second or two").matches("3 files, newest 6[0-3] s old");

            Outcome backups = probes.run(check("directory", "{\"path\":\"" + dir + "\",\"glob\":\"*.tar.gz\",\"maxAgeSeconds\":3600}"));
            assertThat(backups.up()).isFalse();
            assertThat(backups.value()).isEqualTo(2.0);
            assertThat(backups.message()).isEqualTo("2 files, newest 2 h old; the newest should be at most 60 min old");

            assertThat(probes.run(check("directory", "{\"path\":\"" + dir + "\",\"glob\":\"*.tar.gz\",\"maxAgeSeconds\":10800}")).up()).isTrue();
            Outcome tooFew = probes.run(check("directory", "{\"path\":\"" + dir + "\",\"minCount\":5}"));
            assertThat(tooFew.up()).isFalse();
            assertThat(tooFew.message()).endsWith("; at least 5 expected");
            assertThat(probes.run(check("directory", "{\"path\":\"" + dir + "\",\"maxCount\":2}")).up()).isFalse();
            Outcome missing = probes.run(check("directory", "{\"path\":\"" + dir.resolve("nope") + "\"}"));
            assertThat(missing.up()).isFalse();
            assertThat(missing.message()).isEqualTo("no directory " + dir.resolve("nope"));
        }

        private static void touch(Path f, long mtimeMs) throws IOException {
            Files.writeString(f, "x");
            Files.setLastModifiedTime(f, FileTime.fromMillis(mtimeMs));
        }
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static int closedPortUnchecked() {
        try {
            return closedPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

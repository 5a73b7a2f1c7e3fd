package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.agent.Fixtures;
import dev.servmon.protocol.Sample;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * utmp files built record by record with glibc's x86_64/aarch64 {@code struct utmp} layout
 * (this VM has no /run/utmp to capture).
 */
class UtmpTest {
    static final short BOOT_TIME = 2;
    static final short INIT_PROCESS = 5;
    static final short LOGIN_PROCESS = 6;
    static final short DEAD_PROCESS = 8;

    @Test
    void only_user_processes_with_a_user_name_count_as_sessions() {
        byte[] utmp = utmp(ByteOrder.LITTLE_ENDIAN,
                record(BOOT_TIME, 0, "~", "reboot", ByteOrder.LITTLE_ENDIAN),
                record(INIT_PROCESS, 812, "tty1", "", ByteOrder.LITTLE_ENDIAN),
                record(LOGIN_PROCESS, 813, "tty2", "LOGIN", ByteOrder.LITTLE_ENDIAN),
                record(Utmp.USER_PROCESS, 1201, "pts/0", "alice", ByteOrder.LITTLE_ENDIAN),
                record(Utmp.USER_PROCESS, 1302, "pts/1", "bob", ByteOrder.LITTLE_ENDIAN),
                record(DEAD_PROCESS, 1100, "pts/2", "carol", ByteOrder.LITTLE_ENDIAN),
                record(Utmp.USER_PROCESS, 1400, "pts/3", "", ByteOrder.LITTLE_ENDIAN));

        assertThat(utmp.length).isEqualTo(7 * Utmp.RECORD_BYTES);
        assertThat(Utmp.countUserSessions(utmp, ByteOrder.LITTLE_ENDIAN)).isEqualTo(2);
    }

    @Test
    void a_partial_record_being_written_is_ignored() {
        byte[] whole = record(Utmp.USER_PROCESS, 1201, "pts/0", "alice", ByteOrder.LITTLE_ENDIAN);
        byte[] utmp = utmp(ByteOrder.LITTLE_ENDIAN, whole, java.util.Arrays.copyOf(whole, 100));

        assertThat(Utmp.countUserSessions(utmp, ByteOrder.LITTLE_ENDIAN)).isEqualTo(1);
    }

    @Test
    void an_empty_file_means_nobody_is_logged_in() {
        assertThat(Utmp.countUserSessions(new byte[0], ByteOrder.LITTLE_ENDIAN)).isZero();
    }

    @Test
    void big_endian_machines_are_read_in_their_byte_order() {
        byte[] utmp = utmp(ByteOrder.BIG_ENDIAN, record(Utmp.USER_PROCESS, 1, "pts/0", "root", ByteOrder.BIG_ENDIAN));

        assertThat(Utmp.countUserSessions(utmp, ByteOrder.BIG_ENDIAN)).isEqualTo(1);
        assertThat(Utmp.countUserSessions(utmp, ByteOrder.LITTLE_ENDIAN)).isZero();
    }

    @Test
    void sessions_of_a_file_written_by_utmpdump_carry_user_terminal_host_and_login_time() {
        byte[] utmp = Fixtures.bytes("this-vm/utmp-utmpdump");

        assertThat(Utmp.sessions(utmp, ByteOrder.LITTLE_ENDIAN)).containsExactly(
                new Sample.UserSession("alice", "pts/0", "192.168.1.20", Instant.parse("2024-03-04T09:01:02Z").toEpochMilli()),
                new Sample.UserSession("bob", "pts/1", "2001:db8::7", Instant.parse("2024-03-04T09:15:40Z").toEpochMilli()),
                new Sample.UserSession("carol", "tty2", null, Instant.parse("2024-03-04T10:00:00Z").toEpochMilli()));
        assertThat(Utmp.countUserSessions(utmp, ByteOrder.LITTLE_ENDIAN)).isEqualTo(3);
    }

    @Test
    void sessions_of_a_big_endian_machine_and_full_width_fields_are_read() {
        String user32 = "a-user-name-of-exactly-32-bytes!";
        byte[] utmp = utmp(ByteOrder.BIG_ENDIAN, record(Utmp.USER_PROCESS, 7, "pts/4", user32, ByteOrder.BIG_ENDIAN));

        assertThat(Utmp.sessions(utmp, ByteOrder.BIG_ENDIAN)).containsExactly(
                new Sample.UserSession(user32, "pts/4", null, 1_700_000_000_000L));
    }

    /** One {@code struct utmp}: type at 0, pid at 4, line at 8, id at 40, user at 44, host at 76, time at 340. */
    static byte[] record(short type, int pid, String line, String user, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(Utmp.RECORD_BYTES).order(order);
        b.putShort(0, type);
        b.putInt(4, pid);
        b.put(8, StandardCharsets.US_ASCII.encode(line), 0, line.length());
        b.put(44, StandardCharsets.US_ASCII.encode(user), 0, user.length());
        b.putInt(340, 1_700_000_000);
        return b.array();
    }

    static byte[] utmp(ByteOrder order, byte[]... records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] r : records) {
            out.writeBytes(r);
        }
        return out.toByteArray();
    }
}

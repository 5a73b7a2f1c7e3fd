package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.agent.Fixtures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PidFilesTest {

    @Test
    void cpu_ticks_start_time_and_resident_pages_of_a_vm_process_whose_name_has_spaces_and_parentheses() {
        long[] out = stat("this-vm/proc-scan.1/22013/stat");

        // 22013 (a) (b c) S ... utime 0 stime 0 ... starttime 2304789 vsize 2990080 rss 414
        assertThat(out).containsExactly(0, 2304789, 414);
    }

    @Test
    void the_busy_shell_of_the_vm_used_65_ticks_in_the_second_between_the_captures() {
        long[] before = stat("this-vm/proc-scan.1/22031/stat");
        long[] after = stat("this-vm/proc-scan.2/22031/stat");

        assertThat(after[PidFiles.CPU_TICKS] - before[PidFiles.CPU_TICKS]).isEqualTo(128 - 63);
        assertThat(after[PidFiles.START_TICKS]).isEqualTo(before[PidFiles.START_TICKS]);
    }

    @Test
    void stat_lines_of_node_exporter_hosts_parse_including_kernel_threads() {
        // 1 (systemd) S 0 1 1 0 -1 4194560 9061 9416027 94 2620 36 98 54406 13885 20 0 1 0 29 109604864 2507
        assertThat(stat("node-exporter/proc/1/stat")).containsExactly(36 + 98, 29, 2507);
        // 11 (rcu_preempt) I 2 0 0 0 -1 2129984 0 0 0 0 0 346 ... starttime 32, rss 0
        assertThat(stat("node-exporter/proc/11/stat")).containsExactly(346, 32, 0);
    }

    @Test
    void a_cut_or_garbled_stat_line_is_rejected() {
        assertThat(PidFiles.parseStat(bytes("12 (x) S 1 2 3"), 14, new long[3])).isFalse();
        byte[] noParen = bytes("12 x S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23");
        assertThat(PidFiles.parseStat(noParen, noParen.length, new long[3])).isFalse();
    }

    @Test
    void name_effective_uid_and_resident_bytes_come_from_the_status_file() {
        byte[] status = Fixtures.bytes("this-vm/proc-scan.1/22013/status");

        assertThat(PidFiles.statusName(status, status.length)).isEqualTo("a) (b c");
        assertThat(PidFiles.statusEffectiveUid(status, status.length)).isEqualTo(1000);
        assertThat(PidFiles.statusRssBytes(status, status.length)).isEqualTo(1828L * 1024);
    }

    @Test
    void kernel_threads_have_no_resident_memory_line() {
        byte[] status = Fixtures.bytes("this-vm/proc-scan.1/2/status");

        assertThat(PidFiles.statusName(status, status.length)).isEqualTo("kthreadd");
        assertThat(PidFiles.statusEffectiveUid(status, status.length)).isZero();
        assertThat(PidFiles.statusRssBytes(status, status.length)).isEqualTo(-1);
    }

    @Test
    void the_effective_uid_is_the_second_of_the_four() {
        byte[] status = bytes("Name:\tpasswd\nUid:\t1000\t0\t0\t0\n");

        assertThat(PidFiles.statusEffectiveUid(status, status.length)).isZero();
        assertThat(PidFiles.statusEffectiveUid(bytes("Name:\tx\n"), 8)).isEqualTo(-1);
    }

    private static long[] stat(String fixture) {
        byte[] b = Fixtures.bytes(fixture);
        long[] out = new long[3];
        assertThat(PidFiles.parseStat(b, b.length, out)).as(fixture).isTrue();
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servmon.agent.Fixtures;
import dev.servmon.protocol.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcStatTest {

    @Test
    void an_eight_core_desktop_parses_into_the_total_and_eight_cores() {
        ProcStat stat = ProcStat.parse(Fixtures.text("node-exporter/stat"));

        // cpu  301854 612 111922 8979004 3552 2 3944 0 44 36 (guest and guest_nice are inside user and nice)
        assertThat(stat.total()).isEqualTo(new ProcStat.Ticks(301854, 612, 111922, 8979004, 3552, 2, 3944, 0));
        assertThat(stat.total().totalTicks()).isEqualTo(301854 + 612 + 111922 + 8979004 + 3552 + 2 + 3944);
        assertThat(stat.total().idleTicks()).isEqualTo(8979004 + 3552);
        assertThat(stat.cores()).containsOnlyKeys(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(stat.cores().get(7).user()).isEqualTo(29098);
    }

    @Test
    void busy_share_is_the_non_idle_share_of_ticks_between_two_readings_of_this_vm() {
        ProcStat before = ProcStat.parse(Fixtures.text("this-vm/stat.1"));
        ProcStat after = ProcStat.parse(Fixtures.text("this-vm/stat.2"));

        // 771 ticks passed, 37 of them idle or iowait; per core 384/20 and 388/18.
        assertThat(after.busyPercentSince(before)).isCloseTo(100.0 * (771 - 37) / 771, within(1e-9));
        assertThat(after.perCoreBusyPercentSince(before))
                .containsExactly(100.0 * (384 - 20) / 384, 100.0 * (388 - 18) / 388);
    }

    @Test
    void readings_with_no_ticks_in_between_give_no_cpu_figure_rather_than_zero() {
        ProcStat stat = ProcStat.parse(Fixtures.text("this-vm/stat.1"));

        assertThat(stat.busyPercentSince(stat)).isNull();
        assertThat(stat.perCoreBusyPercentSince(stat)).isEmpty();
    }

    @Test
    void per_core_figures_are_left_out_when_a_core_went_offline_in_between() {
        ProcStat before = ProcStat.parse("cpu  10 0 10 100 0\ncpu0 5 0 5 50 0\ncpu1 5 0 5 50 0\n");
        ProcStat after = ProcStat.parse("cpu  20 0 20 110 0\ncpu0 15 0 15 60 0\n");

        assertThat(after.perCoreBusyPercentSince(before)).isEmpty();
        assertThat(after.busyPercentSince(before)).isCloseTo(100.0 * 20 / 30, within(1e-9));
    }

    @Test
    void old_kernels_with_four_time_fields_parse_with_zero_for_the_missing_ones() {
        ProcStat stat = ProcStat.parse("cpu  100 2 30 900\ncpu0 100 2 30 900\nintr 1 2 3\n");

        assertThat(stat.total()).isEqualTo(new ProcStat.Ticks(100, 2, 30, 900, 0, 0, 0, 0));
    }

    @Test
    void iowait_going_backwards_is_clamped_so_the_share_stays_within_0_and_100() {
        ProcStat before = ProcStat.parse("cpu  100 0 0 100 50\n");
        ProcStat after = ProcStat.parse("cpu  110 0 0 100 45\n");

        assertThat(after.busyPercentSince(before)).isBetween(0.0, 100.0);
    }

    @Test
    void text_without_a_cpu_line_is_rejected_with_a_reason() {
        assertThatThrownBy(() -> ProcStat.parse("intr 1 2 3\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no 'cpu' line");
        assertThatThrownBy(() -> ProcStat.parse("cpu  1 x 3 4\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed number 'x'");
    }

    @Test
    void context_switches_and_boot_time_are_read_from_every_layout() {
        ProcStat desktop = ProcStat.parse(Fixtures.text("node-exporter/stat"));
        ProcStat vm = ProcStat.parse(Fixtures.text("this-vm/stat.1"));
        ProcStat old = ProcStat.parse(Fixtures.text("documented/stat-2.6.9"));

        assertThat(desktop.contextSwitches()).isEqualTo(38014093L);
        assertThat(desktop.bootTimeSeconds()).isEqualTo(1418183276L);
        assertThat(vm.contextSwitches()).isEqualTo(745795L);
        assertThat(vm.bootTimeSeconds()).isEqualTo(1795513268L);
        assertThat(old.contextSwitches()).isEqualTo(1990473L);
        assertThat(old.bootTimeSeconds()).isEqualTo(1062191376L);
        assertThat(ProcStat.parse("cpu  1 2 3 4\n").contextSwitches()).isNull();
    }

    @Test
    void context_switches_per_second_come_from_the_ctxt_delta_over_the_elapsed_time() {
        ProcStat before = ProcStat.parse(Fixtures.text("this-vm/stat.1"));
        ProcStat after = ProcStat.parse(Fixtures.text("this-vm/stat.2"));

        assertThat(after.contextSwitchesPerSecSince(before, 2_000_000_000L)).isCloseTo((758653 - 745795) / 2.0, within(1e-9));
        assertThat(before.contextSwitchesPerSecSince(after, 1_000_000_000L)).as("counter went back").isNull();
        assertThat(after.contextSwitchesPerSecSince(before, 0)).isNull();
    }

    @Test
    void the_cpu_time_splits_into_user_system_iowait_and_steal_shares_in_total_and_per_core() {
        ProcStat before = ProcStat.parse(Fixtures.text("this-vm/stat.1"));
        ProcStat after = ProcStat.parse(Fixtures.text("this-vm/stat.2"));
        ProcStat.Ticks b = before.total();
        ProcStat.Ticks a = after.total();
        double total = a.totalTicks() - b.totalTicks();

        Sample.CoreTimes times = after.timesSince(before);

        assertThat(times.userPercent()).isCloseTo(100 * ((a.user() + a.nice()) - (b.user() + b.nice())) / total, within(1e-9));
        assertThat(times.systemPercent()).isCloseTo(
                100 * ((a.system() + a.irq() + a.softirq()) - (b.system() + b.irq() + b.softirq())) / total, within(1e-9));
        assertThat(times.iowaitPercent()).isCloseTo(100 * (a.iowait() - b.iowait()) / total, within(1e-9));
        assertThat(times.stealPercent()).isCloseTo(100 * (a.steal() - b.steal()) / total, within(1e-9));
        // With idle, the four shares make up all the time.
        double idle = 100 * (a.idle() - b.idle()) / total;
        assertThat(times.userPercent() + times.systemPercent() + times.iowaitPercent() + times.stealPercent() + idle)
                .isCloseTo(100.0, within(1e-9));
        List<Sample.CoreTimes> perCore = after.perCoreTimesSince(before);
        assertThat(perCore).hasSize(2).allSatisfy(t -> assertThat(t.userPercent()).isBetween(0.0, 100.0));
    }

    @Test
    void kernels_without_steal_or_iowait_columns_report_zero_shares_for_them() {
        ProcStat before = ProcStat.parse(Fixtures.text("documented/stat-2.6.9"));
        ProcStat after = ProcStat.parse("cpu  2355 34 2390 22625663 6290 127 456\ncpu0 1182 34 1491 11311768 3675 127 438\n"
                + "cpu1 1173 0 899 11313895 2614 0 18\nctxt 1990573\n");

        Sample.CoreTimes times = after.timesSince(before);

        assertThat(times.userPercent()).isCloseTo(100.0 * 100 / 300, within(1e-9));
        assertThat(times.systemPercent()).isCloseTo(100.0 * 100 / 300, within(1e-9));
        assertThat(times.stealPercent()).isZero();
        assertThat(times.iowaitPercent()).isZero();
    }
}

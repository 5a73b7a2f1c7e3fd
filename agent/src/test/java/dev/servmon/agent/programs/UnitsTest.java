package dev.servmon.agent.programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Watched units: parsing what systemctl and sc print, and the watcher's reporting. */
class UnitsTest {
    /** {@code systemctl show --property=Id,LoadState,ActiveState,SubState,MainPID,ExecMainStatus -- ssh.service nginx.service cron.service nope.service}. */
    static final String SYSTEMCTL_SHOW = """
            MainPID=812
            ExecMainStatus=0
            Id=ssh.service
            LoadState=loaded
            ActiveState=active
            SubState=running

            MainPID=0
            ExecMainStatus=1
            Id=nginx.service
            LoadState=loaded
            ActiveState=failed
            SubState=failed

            MainPID=0
            ExecMainStatus=0
            Id=backup.service
            LoadState=loaded
            ActiveState=activating
            SubState=auto-restart

            MainPID=0
            ExecMainStatus=0
            Id=nope.service
            LoadState=not-found
            ActiveState=inactive
            SubState=dead
            """;

    /** {@code sc queryex Spooler} on Windows Server 2022. */
    static final String SC_RUNNING = """

            SERVICE_NAME: Spooler
                    TYPE               : 110  WIN32_OWN_PROCESS  (interactive)
                    STATE              : 4  RUNNING
                                            (STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)
                    WIN32_EXIT_CODE    : 0  (0x0)
                    SERVICE_EXIT_CODE  : 0  (0x0)
                    CHECKPOINT         : 0x0
                    WAIT_HINT          : 0x0
                    PID                : 2468
                    FLAGS              :
            """;

    static final String SC_STOPPED = """
            SERVICE_NAME: wuauserv
                    TYPE               : 20  WIN32_SHARE_PROCESS
                    STATE              : 1  STOPPED
                    WIN32_EXIT_CODE    : 1077  (0x435)
                    SERVICE_EXIT_CODE  : 0  (0x0)
                    CHECKPOINT         : 0x0
                    WAIT_HINT          : 0x0
                    PID                : 0
                    FLAGS              :
            """;

    static final String SC_MISSING = "[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n";

    @Test
    void systemctl_show_is_read_unit_by_unit() {
        var s = SystemdUnits.parse(List.of("ssh.service", "nginx.service", "backup.service", "nope.service"), SYSTEMCTL_SHOW);

        assertThat(s).extracting(UnitWatcher.UnitStatus::state).containsExactly("RUNNING", "FAILED", "BACKOFF", "UNKNOWN");
        assertThat(s.get(0).pid()).isEqualTo(812L);
        assertThat(s.get(0).exitCode()).isNull();
        assertThat(s.get(0).message()).isEqualTo("active (running)");
        assertThat(s.get(1).pid()).isNull();
        assertThat(s.get(1).exitCode()).isEqualTo(1);
        assertThat(s.get(3).message()).isEqualTo("no such unit");
    }

    @Test
    void sc_queryex_is_read_for_state_pid_and_exit_code() {
        var running = WindowsServices.parse("Spooler", SC_RUNNING);
        assertThat(running.state()).isEqualTo("RUNNING");
        assertThat(running.pid()).isEqualTo(2468L);
        var stopped = WindowsServices.parse("wuauserv", SC_STOPPED);
        assertThat(stopped.state()).isEqualTo("STOPPED");
        assertThat(stopped.pid()).isNull();
        assertThat(stopped.exitCode()).isEqualTo(1077);
        assertThat(WindowsServices.parse("nope", SC_MISSING).message()).isEqualTo("no such service");
    }

    @Test
    void watched_units_are_reported_as_last_read_and_names_are_checked() {
        List<List<String>> asked = new ArrayList<>();
        var watcher = new UnitWatcher(new UnitWatcher.Backend() {
            @Override
            public String kind() {
                return "systemd";
            }

            @Override
            public List<UnitWatcher.UnitStatus> status(List<String> names) {
                asked.add(names);
                return SystemdUnits.parse(names, SYSTEMCTL_SHOW);
            }

            @Override
            public String act(String name, String action) {
                return action + " " + name;
            }
        });
        watcher.watch(List.of("ssh.service", "nginx.service"));
        assertThat(watcher.report()).extracting(p -> p.state()).containsExactly("UNKNOWN", "UNKNOWN");

        watcher.refreshIfDue(1_000, 10_000);
        watcher.refreshIfDue(5_000, 10_000);
        assertThat(asked).as("read once per refresh interval").hasSize(1);
        var report = watcher.report();
        assertThat(report).extracting(p -> p.kind()).containsOnly("systemd");
        assertThat(report).extracting(p -> p.state()).containsExactly("RUNNING", "FAILED");

        assertThatThrownBy(() -> UnitWatcher.checkNames(List.of("ok.service", "--force"))).hasMessageContaining("'--force' is not a unit");
        assertThatThrownBy(() -> UnitWatcher.checkNames(List.of("a;b"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_run_record_reads_back_and_a_broken_one_is_ignored() {
        var rec = new RunRecord("RUNNING", 42, 123456, 1_700_000_000_000L, "boot-1", 3, null, null);
        assertThat(RunRecord.parse("state=RUNNING\npid=42\nstartTicks=123456\nstartedAtMs=1700000000000\nbootId=boot-1\nrestarts=3\nexitCode=\n"))
                .as("written before exitFile existed").isEqualTo(rec);
        var elsewhere = new RunRecord("RUNNING", 42, 123456, 1_700_000_000_000L, "boot-1", 0, 3, "/old/state/programs/web/exit");
        assertThat(RunRecord.parse("state=RUNNING\npid=42\nstartTicks=123456\nstartedAtMs=1700000000000\nbootId=boot-1\nrestarts=0\n"
                + "exitCode=3\nexitFile=/old/state/programs/web/exit\n")).isEqualTo(elsewhere);
        assertThat(RunRecord.parse("pid=x")).isNull();
    }
}

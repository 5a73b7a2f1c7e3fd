package dev.servmon.agent.programs;

import static dev.servmon.agent.programs.Programs.alive;
import static dev.servmon.agent.programs.Programs.await;
import static dev.servmon.agent.programs.Programs.spec;
import static dev.servmon.agent.programs.Programs.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.agent.control.CommandHandlers;
import dev.servmon.agent.control.CommandResult;
import dev.servmon.agent.transport.Json;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor with real processes: small shell scripts started, watched, restarted and stopped. */
class SupervisorTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String FOREVER = "echo up; while :; do sleep 0.1; done";
    @TempDir
    Path dir;
    private Supervisor sup;
    private final List<Sample.ProgramEvent> events = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        sup = supervisor(new Supervisor.Options(50, 5L << 20, 3, 10_000));
    }

    private Supervisor supervisor(Supervisor.Options options) throws IOException {
        Supervisor s = new Supervisor(dir, options, new UnitWatcher(new SystemdUnits()), "supervisor-test");
        s.start();
        return s;
    }

    @AfterEach
    void close() throws InterruptedException {
        sup.stopAll();
        sup.close();
    }

    /** Takes the pending events as a sample would. */
    private List<Sample.ProgramEvent> drain() {
        var pending = sup.pendingEvents();
        sup.eventsTaken(pending.through());
        events.addAll(pending.events());
        return events;
    }

    private List<String> kinds(String program) {
        return drain().stream().filter(e -> e.program().equals(program)).map(Sample.ProgramEvent::kind).toList();
    }

    @Test
    void a_program_is_started_stopped_and_restarted_on_request() throws Exception {
        sup.apply(List.of(spec("web", FOREVER)));
        assertThat(status(sup, "web").state()).as("autostart is off").isEqualTo("STOPPED");

        String started = sup.start("web");
        await("RUNNING", WAIT, () -> status(sup, "web").state().equals("RUNNING"));
        long pid = status(sup, "web").pid();
        assertThat(started).as("the answer names the program's pid, as the status does").isEqualTo("started web, pid " + pid);
        assertThat(alive(pid)).isTrue();
        assertThat(status(sup, "web").startedAtMs()).isNotNull();
        assertThat(sup.start("web")).contains("already running");

        String restarted = sup.restart("web");
        await("RUNNING again", WAIT, () -> status(sup, "web").state().equals("RUNNING"));
        long newPid = status(sup, "web").pid();
        assertThat(restarted).isEqualTo("restarted web, pid " + newPid);
        assertThat(newPid).isNotEqualTo(pid);
        assertThat(alive(pid)).as("the old process is gone").isFalse();

        assertThat(sup.stop("web")).matches("web stopped after SIGTERM in \\d+\\.\\d s");
        assertThat(status(sup, "web").state()).isEqualTo("STOPPED");
        assertThat(status(sup, "web").exitCode()).as("128 + SIGTERM").isEqualTo(143);
        assertThat(alive(newPid)).isFalse();
        assertThat(kinds("web")).containsExactly("started", "stopped", "restarted", "stopped");
        assertThat(sup.stop("web")).contains("not running");
    }

    @Test
    void a_crashing_program_is_restarted_with_growing_delays_then_given_up() throws Exception {
        sup.apply(List.of(spec("crash", "echo boom; exit 3", "maxRestarts", 3, "restartWindowSeconds", 60,
                "backoffFirstSeconds", 0.3, "startSeconds", 5.0)));
        sup.start("crash");

        await("FAILED", WAIT, () -> status(sup, "crash").state().equals("FAILED"));
        var s = status(sup, "crash");
        assertThat(s.restarts()).isEqualTo(3);
        assertThat(s.exitCode()).isEqualTo(3);
        assertThat(s.message()).startsWith("gave up: 3 restarts within 60 s");
        List<Sample.ProgramEvent> ev = drain();
        assertThat(ev.stream().map(Sample.ProgramEvent::kind).toList()).containsExactly(
                "started", "exited", "restarted", "exited", "restarted", "exited", "restarted", "exited", "gave_up");
        assertThat(ev.get(1).exitCode()).isEqualTo(3);
        // Delays between an exit and the next start: 0.3 s, 0.6 s, 1.2 s.
        long d1 = ev.get(2).atMs() - ev.get(1).atMs();
        long d2 = ev.get(4).atMs() - ev.get(3).atMs();
        long d3 = ev.get(6).atMs() - ev.get(5).atMs();
        assertThat(d1).isBetween(280L, 900L);
        assertThat(d2).isBetween(580L, 1300L);
        assertThat(d3).isBetween(1180L, 2000L);
        assertThat(d2).isGreaterThan(d1);
        assertThat(d3).isGreaterThan(d2);
    }

    @Test
    void backoff_doubles_from_the_first_delay_up_to_the_ceiling() {
        var spec = spec("b", "true", "backoffFirstSeconds", 1.0, "backoffMaxSeconds", 60.0);
        assertThat(List.of(1, 2, 3, 4, 6, 7, 8, 100).stream().map(n -> Supervisor.backoffMs(spec, n)).toList())
                .containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 32_000L, 60_000L, 60_000L, 60_000L);
    }

    @Test
    void the_restart_policy_decides_after_a_clean_exit_and_after_a_failure() throws Exception {
        sup.apply(List.of(
                spec("onfail-clean", "exit 0", "restart", "on-failure", "autostart", true),
                spec("never-failing", "exit 5", "restart", "never", "autostart", true),
                spec("always-clean", "exit 0", "restart", "always", "autostart", true, "maxRestarts", 2)));

        await("onfail-clean EXITED", WAIT, () -> status(sup, "onfail-clean").state().equals("EXITED"));
        await("never-failing EXITED", WAIT, () -> status(sup, "never-failing").state().equals("EXITED"));
        await("always-clean FAILED", WAIT, () -> status(sup, "always-clean").state().equals("FAILED"));
        assertThat(status(sup, "onfail-clean").exitCode()).isZero();
        assertThat(status(sup, "onfail-clean").restarts()).isZero();
        assertThat(status(sup, "never-failing").exitCode()).isEqualTo(5);
        assertThat(status(sup, "never-failing").restarts()).isZero();
        assertThat(status(sup, "always-clean").restarts()).as("a clean exit restarts too, up to the limit").isEqualTo(2);
        assertThat(kinds("always-clean")).endsWith("gave_up");
    }

    @Test
    void a_failing_health_check_restarts_the_program() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket(0)) {
            port = server.getLocalPort();
            sup.apply(List.of(spec("svc", FOREVER, "autostart", true, "healthCheck",
                    Map.of("type", "tcp", "port", port, "intervalSeconds", 0.2, "timeoutSeconds", 0.5, "failures", 3))));
            await("RUNNING", WAIT, () -> status(sup, "svc").state().equals("RUNNING"));
            long pid = status(sup, "svc").pid();
            Thread.sleep(1_000);
            assertThat(status(sup, "svc").pid()).as("healthy while the port answers").isEqualTo(pid);
            assertThat(kinds("svc")).containsExactly("started");
        }
        // The port is closed now: three failed checks later the program is restarted.
        await("restarted", WAIT, () -> kinds("svc").contains("restarted"));
        var restarted = drain().stream().filter(e -> e.kind().equals("restarted")).findFirst().orElseThrow();
        assertThat(restarted.message()).contains("health check tcp 127.0.0.1:" + port + " failed 3 times");
        assertThat(kinds("svc")).startsWith("started", "stopped", "restarted");
        await("RUNNING again", WAIT, () -> status(sup, "svc").state().equals("RUNNING"));
        assertThat(status(sup, "svc").restarts()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void a_program_that_ignores_the_stop_signal_is_killed_after_the_timeout() throws Exception {
        sup.apply(List.of(spec("stubborn", "trap '' TERM; echo ready; while :; do sleep 0.1; done", "stopTimeoutSeconds", 1.0)));
        sup.start("stubborn");
        await("RUNNING", WAIT, () -> status(sup, "stubborn").state().equals("RUNNING"));
        long pid = status(sup, "stubborn").pid();

        long t0 = System.nanoTime();
        String result = sup.stop("stubborn");
        long tookMs = (System.nanoTime() - t0) / 1_000_000;

        assertThat(result).contains("killed with SIGKILL after the 1 s stop timeout");
        assertThat(tookMs).isBetween(900L, 5_000L);
        assertThat(status(sup, "stubborn").state()).isEqualTo("STOPPED");
        assertThat(status(sup, "stubborn").exitCode()).isEqualTo(137);
        assertThat(alive(pid)).isFalse();
    }

    @Test
    void another_stop_signal_is_sent_as_configured() throws Exception {
        sup.apply(List.of(spec("hup", "trap 'echo got-hup; exit 0' HUP; while :; do sleep 0.1; done", "stopSignal", "HUP")));
        sup.start("hup");
        await("RUNNING", WAIT, () -> status(sup, "hup").state().equals("RUNNING"));

        assertThat(sup.stop("hup")).contains("stopped after SIGHUP");
        assertThat(status(sup, "hup").exitCode()).as("the script's own status after its HUP trap").isZero();
        assertThat(sup.tail("hup", 10)).contains("got-hup");
    }

    @Test
    void output_is_captured_rotated_and_tailed() throws Exception {
        sup.close();
        sup = supervisor(new Supervisor.Options(50, 2_000, 2, 10_000));
        sup.apply(List.of(spec("chatty", "i=0; while [ $i -lt 400 ]; do echo \"line $i\"; i=$((i+1)); sleep 0.002; done; echo err-line >&2; sleep 60",
                "autostart", true)));

        await("all lines written", WAIT, () -> {
            try {
                return sup.tail("chatty", 1).equals(List.of("err-line"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        Path pdir = dir.resolve("programs/chatty");
        await("rotated", WAIT, () -> Files.exists(pdir.resolve("out.log.1")));
        assertThat(Files.exists(pdir.resolve("out.log.3"))).as("only 2 rotated files are kept").isFalse();
        assertThat(Files.size(pdir.resolve("out.log.1"))).isGreaterThanOrEqualTo(2_000);

        List<String> tail = sup.tail("chatty", 30);
        assertThat(tail).hasSize(30).endsWith("line 398", "line 399", "err-line");
        for (int i = 0; i < 29; i++) {
            assertThat(tail.get(i)).isEqualTo("line " + (371 + i));
        }
        assertThat(sup.tail("chatty", 1)).containsExactly("err-line");
    }

    @Test
    void the_hub_revision_is_kept_across_agent_restarts_and_applying_the_running_set_again_restarts_nothing() throws Exception {
        CommandHandlers handlers = new CommandHandlers();
        ProgramHandlers.register(handlers, sup);
        assertThat(handlers.revisions()).as("nothing received yet").containsExactly(Map.entry("programs", 0L));
        // As the hub sends it: Jackson's form of the validated spec (defaults filled in, nulls left out).
        String set = """
                {"programs":[{"name":"steady","command":"/bin/sh","args":["-c","echo up; while :; do sleep 0.1; done"],"env":{},
                  "autostart":true,"restart":"on-failure","backoffFirstSeconds":0.2,"backoffMaxSeconds":2.0,"maxRestarts":5,
                  "restartWindowSeconds":300.0,"stopSignal":"TERM","stopTimeoutSeconds":3.0,"startSeconds":0.3}],"revision":REV}""";
        CommandResult first = apply(handlers, set.replace("REV", "1733000000041"));
        assertThat(first.ok()).as(first.message()).isTrue();
        assertThat(first.data()).containsEntry("revision", 1733000000041L);
        await("RUNNING", WAIT, () -> status(sup, "steady").state().equals("RUNNING"));
        long pid = status(sup, "steady").pid();
        assertThat(handlers.revisions()).containsExactly(Map.entry("programs", 1733000000041L));
        assertThat(kinds("steady")).containsExactly("started");

        sup.close();
        sup = supervisor(new Supervisor.Options(50, 5L << 20, 3, 10_000));
        assertThat(sup.revision()).as("saved with the set").isEqualTo(1733000000041L);
        await("adopted", WAIT, () -> status(sup, "steady").state().equals("RUNNING"));
        assertThat(status(sup, "steady").pid()).isEqualTo(pid);

        handlers = new CommandHandlers();
        ProgramHandlers.register(handlers, sup);
        CommandResult same = apply(handlers, set.replace("REV", "1733000000041"));
        assertThat(same.message()).isEqualTo("1 programs: 0 added, 0 changed, 0 removed");
        // The hub's set after a restore from backup: the same programs under an older revision.
        CommandResult older = apply(handlers, set.replace("REV", "1733000000007"));
        assertThat(older.message()).isEqualTo("1 programs: 0 added, 0 changed, 0 removed");
        Thread.sleep(500);
        assertThat(status(sup, "steady").pid()).as("still the same process").isEqualTo(pid);
        assertThat(status(sup, "steady").state()).isEqualTo("RUNNING");
        assertThat(alive(pid)).isTrue();
        assertThat(kinds("steady")).as("started once (before the restart), never stopped").containsExactly("started");
        assertThat(Json.member(Json.parse(Files.readAllBytes(dir.resolve(Supervisor.SPECS_FILE))), "revision")).isEqualTo(1733000000007L);

        assertThat(apply(handlers, set.replace(",\"revision\":REV", "")).ok()).as("from a hub without revisions").isTrue();
        assertThat(sup.revision()).as("unknown").isZero();
        assertThat(apply(handlers, set.replace("REV", "-3")).message()).isEqualTo("revision must be a whole number from 0, got -3");
        assertThat(status(sup, "steady").pid()).isEqualTo(pid);
    }

    @SuppressWarnings("unchecked")
    private static CommandResult apply(CommandHandlers handlers, String args) throws Exception {
        return handlers.find("programs.apply").orElseThrow().handle((Map<String, Object>) Json.parse(args));
    }

    @Test
    void the_definitions_are_kept_and_a_program_defined_with_autostart_starts() throws Exception {
        sup.apply(List.of(spec("kept", FOREVER, "autostart", true, "env", Map.of("GREETING", "hello wörld")),
                spec("idle", FOREVER)));
        await("RUNNING", WAIT, () -> status(sup, "kept").state().equals("RUNNING"));

        Object saved = Json.parse(Files.readAllBytes(dir.resolve(Supervisor.SPECS_FILE)));
        List<?> programs = (List<?>) Json.member(saved, "programs");
        assertThat(programs).hasSize(2);
        assertThat(ProgramSpecs.readAll(programs)).containsExactly(
                spec("kept", FOREVER, "autostart", true, "env", Map.of("GREETING", "hello wörld")), spec("idle", FOREVER));

        sup.apply(List.of(spec("idle", FOREVER)));
        await("kept removed", WAIT, () -> sup.status().stream().noneMatch(p -> p.name().equals("kept")));
        assertThat(kinds("kept")).containsExactly("started", "stopped");
        assertThat((List<?>) Json.member(Json.parse(Files.readAllBytes(dir.resolve(Supervisor.SPECS_FILE))), "programs")).hasSize(1);
    }

    @Test
    void a_program_gets_its_environment_without_the_agents_own_settings() throws Exception {
        sup.apply(List.of(spec("env", "echo \"G=$GREETING K=${SERVMON_KEY:-none} D=$(pwd)\"; sleep 30", "autostart", true,
                "env", Map.of("GREETING", "hi"), "cwd", dir.toString())));
        await("printed", WAIT, () -> {
            try {
                return !sup.tail("env", 1).isEmpty();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(sup.tail("env", 1)).containsExactly("G=hi K=none D=" + dir.toRealPath());
    }

    @Test
    void a_program_that_cannot_start_fails_with_the_reason() throws Exception {
        sup.apply(List.of(spec("ghost", "x", "command", "no-such-command-here"),
                spec("nodir", FOREVER, "cwd", "/no/such/dir")));

        assertThatThrownBy(() -> sup.start("ghost")).hasMessageContaining("command 'no-such-command-here' not found in PATH");
        assertThat(status(sup, "ghost").state()).isEqualTo("FAILED");
        assertThatThrownBy(() -> sup.start("nodir")).hasMessageContaining("working directory /no/such/dir does not exist");
        assertThat(kinds("ghost")).containsExactly("gave_up");
        assertThatThrownBy(() -> sup.start("nobody-knows")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no program named 'nobody-knows' on this host");
    }

    @Test
    void run_as_switches_user_when_the_agent_is_root_and_is_refused_otherwise() throws Exception {
        var spec = spec("whoami", "id -u; sleep 30", "runAs", "nobody", "autostart", true);
        if (ProcInfo.linux().isRoot()) {
            sup.apply(List.of(spec));
            await("printed", WAIT, () -> {
                try {
                    return !sup.tail("whoami", 1).isEmpty();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(sup.tail("whoami", 1)).containsExactly("65534");
        }
        var notRoot = new Launcher(System.getenv("PATH"), false, "supervisor-test");
        assertThatThrownBy(() -> notRoot.start(spec, dir, dir.resolve("out.log"), dir))
                .hasMessageContaining("runAs nobody needs the agent to run as root");
    }

    @Test
    void the_command_handlers_drive_the_supervisor_and_refuse_bad_arguments() throws Exception {
        CommandHandlers handlers = new CommandHandlers();
        ProgramHandlers.register(handlers, sup);
        assertThat(handlers.types()).contains("programs.apply", "program.start", "program.stop", "program.restart",
                "program.tail", "units.watch", "unit.status", "unit.start", "unit.stop", "unit.restart");

        Map<String, Object> args = castMap(Json.parse("{\"programs\":[{\"name\":\"h\",\"command\":\"/bin/sh\",\"args\":[\"-c\",\"echo hi; sleep 30\"],"
                + "\"autostart\":false,\"startSeconds\":0.1}]}"));
        CommandResult applied = handlers.find("programs.apply").orElseThrow().handle(args);
        assertThat(applied.ok()).isTrue();
        assertThat(applied.message()).isEqualTo("1 programs: 1 added, 0 changed, 0 removed");
        assertThat(handlers.find("program.start").orElseThrow().handle(Map.of("name", "h")).ok()).isTrue();
        await("printed", WAIT, () -> {
            try {
                return !sup.tail("h", 1).isEmpty();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        CommandResult tail = handlers.find("program.tail").orElseThrow().handle(Map.of("name", "h", "lines", 5L));
        assertThat(tail.data().get("lines")).isEqualTo(List.of("hi"));

        CommandResult bad = handlers.find("programs.apply").orElseThrow().handle(castMap(Json.parse(
                "{\"programs\":[{\"name\":\"x\",\"command\":\"/bin/true\",\"stopSignal\":\"STOP\"}]}")));
        assertThat(bad.ok()).isFalse();
        assertThat(bad.message()).startsWith("programs[0].stopSignal must be one of TERM, INT, HUP, QUIT, USR1, USR2, KILL");
        assertThat(handlers.find("program.stop").orElseThrow().handle(Map.of("name", "zzz")).message())
                .isEqualTo("no program named 'zzz' on this host");
        assertThat(handlers.find("program.tail").orElseThrow().handle(Map.of("name", "h", "lines", 0L)).ok()).isFalse();
        assertThat(handlers.find("unit.status").orElseThrow().handle(Map.of("unit", "-evil")).message()).contains("is not a unit or service name");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}

package dev.servmon.agent.programs;

import static dev.servmon.agent.programs.Programs.alive;
import static dev.servmon.agent.programs.Programs.await;
import static dev.servmon.agent.programs.Programs.spec;
import static dev.servmon.agent.programs.Programs.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.protocol.ProgramSpec;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that lost its state directory while its programs ran finds them again by their
 * wrappers' marks, with real processes: a first supervisor starts a program and goes away (its
 * program keeps running), its state directory is deleted, a second supervisor gets the same set.
 * Each test's scripts carry a token of their own, so the copies running can be counted in /proc.
 */
class OrphanAdoptionTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Supervisor.Options FAST = new Supervisor.Options(50, 5L << 20, 3, 10_000);
    @TempDir
    Path dir;
    private final String token = "orphan-test-" + UUID.randomUUID();
    private final List<Supervisor> open = new ArrayList<>();

    private Supervisor supervisor(Path state, String owner) throws IOException {
        Supervisor s = new Supervisor(state, FAST, new UnitWatcher(new SystemdUnits()), owner);
        s.start();
        open.add(s);
        return s;
    }

    /** The supervisor goes away as a stopped agent does: its programs keep running. */
    private void leave(Supervisor s) {
        s.close();
        open.remove(s);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Supervisor s : open) {
            s.stopAll();
            s.close();
        }
        for (long pid : pids(true)) {
            new ProcessBuilder("kill", "-s", "KILL", "--", "-" + pid).start().waitFor();
        }
    }

    private String forever() {
        return "echo \"owner=${SERVMON_OWNER:-none} program=${SERVMON_PROGRAM:-none}\"; while :; do sleep 0.1; done # " + token;
    }

    private ProgramSpec web(String script, Object... extra) {
        Object[] all = new Object[extra.length + 2];
        all[0] = "autostart";
        all[1] = true;
        System.arraycopy(extra, 0, all, 2, extra.length);
        return spec("web", script, all);
    }

    private long runningPid(Supervisor s) throws InterruptedException {
        await("web RUNNING", WAIT, () -> status(s, "web").state().equals("RUNNING") && status(s, "web").pid() != null);
        return status(s, "web").pid();
    }

    /**
     * Runs {@code spec} under a supervisor on {@code state} that then goes away, and deletes
     * {@code state}: the program runs on without a record. Returns its pid.
     */
    private long orphan(Path state, String owner, ProgramSpec spec) throws Exception {
        Supervisor first = supervisor(state, owner);
        first.apply(List.of(spec));
        long pid = runningPid(first);
        leave(first);
        deleteTree(state);
        return pid;
    }

    private static List<Sample.ProgramEvent> drain(Supervisor s) {
        var pending = s.pendingEvents();
        s.eventsTaken(pending.through());
        return pending.events();
    }

    @Test
    void a_program_running_without_its_records_is_adopted_by_an_agent_with_the_same_identity_and_then_supervised() throws Exception {
        Path state = dir.resolve("state");
        long beforeMs = System.currentTimeMillis();
        long pid = orphan(state, "owner-a", web(forever()));

        Supervisor second = supervisor(state, "owner-a");
        assertThat(second.apply(List.of(web(forever())))).isEqualTo("1 programs: 1 added, 0 changed, 0 removed, 1 found running and adopted");
        Sample.Program st = status(second, "web");
        assertThat(st.state()).isEqualTo("RUNNING");
        assertThat(st.pid()).as("the same process").isEqualTo(pid);
        assertThat(st.message()).startsWith("adopted: found running without the agent's records")
                .as("the same state directory again: the wrapper can write its exit file").doesNotContain("exit status will not be known")
                .contains("its output goes to a deleted out.log");
        assertThat(st.startedAtMs()).as("from the process's start time").isBetween(beforeMs - 1_000, beforeMs + 2_000);
        assertThat(copies()).as("no second copy").isEqualTo(1);
        assertThat(drain(second)).as("nothing started").isEmpty();

        // Its exit is noticed, with the status its wrapper recorded, and its restart policy (on-failure) applies.
        new ProcessBuilder("kill", "-s", "TERM", Long.toString(pid)).start().waitFor();
        await("restarted", WAIT, () -> status(second, "web").state().equals("RUNNING") && status(second, "web").pid() != pid);
        List<Sample.ProgramEvent> events = drain(second);
        assertThat(events).extracting(Sample.ProgramEvent::kind).containsExactly("exited", "restarted");
        assertThat(events.get(0).exitCode()).as("SIGTERM, from the wrapper's exit file").isEqualTo(143);
        assertThat(alive(pid)).isFalse();
        assertThat(copies()).isEqualTo(1);
        assertThat(second.tail("web", 5)).as("the marks are not passed on to the program").contains("owner=none program=none");
    }

    @Test
    void an_adopted_program_whose_exit_file_is_gone_ends_with_an_unknown_status() throws Exception {
        Path stop = dir.resolve("stop");
        String script = "while [ ! -f " + stop + " ]; do sleep 0.1; done; exit 3 # " + token;
        long pid = orphan(dir.resolve("old"), "owner-a", web(script, "restart", "never"));

        Supervisor second = supervisor(dir.resolve("new"), "owner-a");
        second.apply(List.of(web(script, "restart", "never")));
        assertThat(status(second, "web").pid()).isEqualTo(pid);
        assertThat(status(second, "web").message()).contains("its exit status will not be known: " + dir.resolve("old/programs/web")
                + " no longer exists");

        Files.writeString(stop, "");
        await("EXITED", WAIT, () -> status(second, "web").state().equals("EXITED"));
        assertThat(status(second, "web").exitCode()).isNull();
        List<Sample.ProgramEvent> events = drain(second);
        assertThat(events).extracting(Sample.ProgramEvent::kind).containsExactly("exited");
        assertThat(events.get(0).message()).isEqualTo("exited (status unknown)");
    }

    @Test
    void another_agents_program_is_never_adopted() throws Exception {
        Path state = dir.resolve("state");
        long pid = orphan(state, "owner-a", web(forever()));

        Supervisor other = supervisor(state, "owner-b");
        assertThat(other.apply(List.of(web(forever())))).doesNotContain("adopted");
        long otherPid = runningPid(other);
        assertThat(otherPid).isNotEqualTo(pid);
        assertThat(drain(other)).extracting(Sample.ProgramEvent::kind).containsExactly("started");
        assertThat(copies()).as("the other agent's copy is left alone").isEqualTo(2);

        other.stopAll();
        assertThat(alive(otherPid)).isFalse();
        assertThat(alive(pid)).as("not this agent's to stop").isTrue();
        assertThat(copies()).isEqualTo(1);
    }

    @Test
    void a_copy_found_running_with_another_definition_is_stopped_and_the_program_started_as_now_defined() throws Exception {
        Path state = dir.resolve("state");
        long pid = orphan(state, "owner-a", web(forever()));

        Supervisor second = supervisor(state, "owner-a");
        second.apply(List.of(web(forever() + " v2")));
        await("the new definition RUNNING", WAIT, () -> status(second, "web").state().equals("RUNNING") && status(second, "web").pid() != pid);
        assertThat(alive(pid)).isFalse();
        assertThat(drain(second)).extracting(Sample.ProgramEvent::kind).containsExactly("stopped", "restarted");
        assertThat(copies()).isEqualTo(1);
        assertThat(cmdline(status(second, "web").pid())).endsWith(" v2");
    }

    @Test
    void a_copy_another_state_directory_still_records_is_left_alone() throws Exception {
        Supervisor a = supervisor(dir.resolve("a"), "owner-a");
        a.apply(List.of(web(forever())));
        long pid = runningPid(a);

        Supervisor b = supervisor(dir.resolve("b"), "owner-a");
        b.apply(List.of(web(forever())));
        assertThat(runningPid(b)).as("a second agent with the same key: its own copy").isNotEqualTo(pid);
        assertThat(status(a, "web").pid()).isEqualTo(pid);
        assertThat(copies()).isEqualTo(2);
    }

    @Test
    void of_two_copies_found_running_the_newest_is_adopted_and_the_other_stopped() throws Exception {
        Supervisor a = supervisor(dir.resolve("a"), "owner-a");
        a.apply(List.of(web(forever())));
        long older = runningPid(a);
        leave(a);
        // a's state directory still records its copy, so b starts one of its own.
        Supervisor b = supervisor(dir.resolve("b"), "owner-a");
        b.apply(List.of(web(forever())));
        long newer = runningPid(b);
        leave(b);
        deleteTree(dir.resolve("a"));
        deleteTree(dir.resolve("b"));
        assertThat(copies()).isEqualTo(2);

        Supervisor c = supervisor(dir.resolve("c"), "owner-a");
        c.apply(List.of(web(forever())));
        assertThat(status(c, "web").pid()).isEqualTo(newer);
        await("the older copy stopped", WAIT, () -> !alive(older));
        assertThat(copies()).isEqualTo(1);
        assertThat(alive(newer)).isTrue();
    }

    @Test
    void an_agent_that_kept_its_set_but_lost_the_run_records_adopts_its_programs_when_it_starts() throws Exception {
        Path state = dir.resolve("state");
        Supervisor first = supervisor(state, "owner-a");
        first.apply(List.of(web(forever())));
        long pid = runningPid(first);
        leave(first);
        deleteTree(state.resolve(Supervisor.PROGRAMS_DIR));

        Supervisor second = supervisor(state, "owner-a");
        assertThat(status(second, "web").pid()).isEqualTo(pid);
        assertThat(status(second, "web").state()).isEqualTo("RUNNING");
        assertThat(copies()).isEqualTo(1);
        assertThat(drain(second)).isEmpty();
    }

    // ---- /proc ----------------------------------------------------------------------------

    /** How many copies of this test's programs run (the programs themselves, not their wrappers). */
    private int copies() throws IOException {
        return pids(false).size();
    }

    /** The pids of this test's wrappers ({@code wrappers}) or of the programs they run. */
    private List<Long> pids(boolean wrappers) throws IOException {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                long pid = Long.parseLong(p.getFileName().toString());
                String cmd = cmdline(pid);
                if (cmd.contains(token) && cmd.contains("servmon-program") == wrappers && alive(pid)) {
                    out.add(pid);
                }
            }
        }
        return out;
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return ""; // ended meanwhile
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

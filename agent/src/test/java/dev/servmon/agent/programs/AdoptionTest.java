package dev.servmon.agent.programs;

import static dev.servmon.agent.programs.Programs.alive;
import static dev.servmon.agent.programs.Programs.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.agent.FakeHub;
import dev.servmon.agent.transport.Json;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Programs outlive the agent: a real agent JVM supervising real processes is killed with
 * SIGKILL, a second agent JVM on the same state directory re-adopts what still runs and reports
 * how the rest ended, with its exit status, through its samples to a hub.
 */
class AdoptionTest {
    private static final String KEY = "k3y-adoption-0123456789abcdef0123456789";
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path state;

    @Test
    void programs_keep_running_when_the_agent_is_killed_and_the_next_agent_adopts_them() throws Exception {
        var specs = List.of(
                spec("keeper", "echo up; while :; do sleep 0.1; done", "autostart", true),
                spec("quitter", "sleep 3; exit 7", "autostart", true, "restart", "never"));
        List<Object> list = new ArrayList<>();
        specs.forEach(s -> list.add(ProgramSpecs.toMap(s)));
        Files.createDirectories(state);
        Files.write(state.resolve(Supervisor.SPECS_FILE), Json.write(Map.of("programs", list, "units", List.of())));
        Process first = null;
        Process second = null;
        try (FakeHub hub = FakeHub.start()) {
            first = agent(hub, "first");
            FakeHub.await(WAIT, "both programs RUNNING", () -> latest(hub, "keeper").map(p -> p.state().equals("RUNNING")).orElse(false)
                    && latest(hub, "quitter").map(p -> p.state().equals("RUNNING")).orElse(false));
            long keeperPid = latest(hub, "keeper").orElseThrow().pid();
            assertThat(events(hub)).extracting(Sample.ProgramEvent::kind).containsOnly("started");

            first.destroyForcibly().waitFor();
            assertThat(alive(keeperPid)).as("keeper survives the agent's SIGKILL").isTrue();
            Path exitFile = state.resolve("programs/quitter/exit");
            FakeHub.await(WAIT, "quitter ends while no agent runs", () -> Files.exists(exitFile));
            assertThat(alive(keeperPid)).isTrue();
            int before = hub.batches().size();

            second = agent(hub, "second");
            FakeHub.await(WAIT, "a report of the second agent with quitter EXITED", () -> hub.batches().size() > before
                    && latest(hub, "quitter").map(p -> p.state().equals("EXITED")).orElse(false));
            Sample.Program keeper = latest(hub, "keeper").orElseThrow();
            assertThat(keeper.state()).isEqualTo("RUNNING");
            assertThat(keeper.pid()).as("the same process, adopted").isEqualTo(keeperPid);
            assertThat(keeper.message()).isEqualTo("adopted after an agent restart");
            assertThat(latest(hub, "quitter").orElseThrow().exitCode()).as("learnt from the wrapper's exit file").isEqualTo(7);
            var exited = events(hub).stream().filter(e -> e.kind().equals("exited")).toList();
            assertThat(exited).hasSize(1);
            assertThat(exited.get(0).program()).isEqualTo("quitter");
            assertThat(exited.get(0).exitCode()).isEqualTo(7);
            assertThat(events(hub)).extracting(Sample.ProgramEvent::kind).as("keeper is not started twice").containsExactly("started", "started", "exited");
        } finally {
            for (Process p : new Process[] {first, second}) {
                if (p != null) {
                    p.destroyForcibly().waitFor();
                }
            }
            killPrograms();
        }
    }

    private Process agent(FakeHub hub, String name) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                "dev.servmon.agent.AgentMain", "--hub", hub.url().toString(), "--key", KEY, "--state-dir", state.toString(),
                "--interval", "1")
                .redirectErrorStream(true)
                .redirectOutput(state.resolve("agent-" + name + ".log").toFile())
                .start();
    }

    private static Optional<Sample.Program> latest(FakeHub hub, String name) {
        List<IngestBatch> batches = hub.batches();
        for (int b = batches.size() - 1; b >= 0; b--) {
            List<Sample> samples = batches.get(b).samples();
            for (int i = samples.size() - 1; i >= 0; i--) {
                for (Sample.Program p : samples.get(i).programs()) {
                    if (p.name().equals(name)) {
                        return Optional.of(p);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<Sample.ProgramEvent> events(FakeHub hub) {
        List<Sample.ProgramEvent> out = new ArrayList<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (IngestBatch b : hub.batches()) {
            for (Sample s : b.samples()) {
                if (seen.add(s.seq())) {
                    out.addAll(s.programEvents());
                }
            }
        }
        return out;
    }

    private void killPrograms() throws IOException, InterruptedException {
        for (String name : List.of("keeper", "quitter")) {
            RunRecord rec = RunRecord.read(state.resolve("programs").resolve(name));
            if (rec != null && rec.pid() > 0) {
                new ProcessBuilder("kill", "-s", "KILL", "--", "-" + rec.pid()).start().waitFor();
            }
        }
    }
}

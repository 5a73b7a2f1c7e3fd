package dev.servmon.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servmon.agent.Agent;
import dev.servmon.agent.outbox.DiskOutbox;
import dev.servmon.agent.outbox.Outbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery without loss under faults: a real hub process and real agent processes (sampling
 * every second), with the hub killed, the hub frozen, and the agent killed. Each test ends by
 * stopping the agent, which logs its last seq, and letting a fresh agent on the same state dir
 * drain the outbox; then the hub must hold exactly the seqs every agent run produced: no gap,
 * no duplicate.
 */
class AgentDeliveryFaultIT {
    private static final Pattern FIRST_SEQ = Pattern.compile("numbering samples from seq (\\d+)");
    private static final Pattern LAST_SEQ = Pattern.compile("stopped; last sample seq (\\d+)");
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    static Path hubData;
    static HubProcess hub;

    @BeforeAll
    static void startHub() throws Exception {
        hub = HubProcess.start(hubData);
    }

    @AfterAll
    static void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void a_hub_killed_five_times_during_ingest_ends_up_with_every_sample_once(@TempDir Path state) throws Exception {
        JsonNode host = hub.registerHost("fault-hub-killed");
        long id = host.get("id").asLong();
        long firstSeq;
        try (var agent = startAgent(state, host)) {
            firstSeq = firstSeq(agent);
            for (int kill = 1; kill <= 5; kill++) {
                int before = hub.storedSeqs(id).size();
                await("2 more samples stored before kill " + kill, agent, () -> hub.storedSeqs(id).size() >= before + 2);
                hub.kill();
                Thread.sleep(500);
                hub.startAgain();
            }
            int before = hub.storedSeqs(id).size();
            await("2 more samples stored after the last restart", agent, () -> hub.storedSeqs(id).size() >= before + 2);
            long lastSeq = stopAndDrain(agent, state, id);

            assertExactly(hub.storedSeqs(id), List.of(new long[] {firstSeq, lastSeq}));
            assertThat(agent.stderr()).contains("cannot send to the hub").doesNotContain("dropped");
        }
    }

    @Test
    void a_hub_frozen_for_60_seconds_times_the_agent_out_and_then_gets_the_whole_backlog_once(@TempDir Path state) throws Exception {
        JsonNode host = hub.registerHost("fault-hub-frozen");
        long id = host.get("id").asLong();
        try (var agent = startAgent(state, host)) {
            long firstSeq = firstSeq(agent);
            await("2 stored samples", agent, () -> hub.storedSeqs(id).size() >= 2);

            hub.freeze();
            int beforeFreeze = hub.storedSeqs(id).size();
            Thread.sleep(60_000);
            hub.thaw();

            // About 60 samples were taken meanwhile; they arrive once the hub answers again.
            await("the backlog of the freeze stored", agent, () -> hub.storedSeqs(id).size() >= beforeFreeze + 60);
            assertThat(agent.stderr()).contains("no answer within 15 s").contains("accepts reports again");
            long lastSeq = stopAndDrain(agent, state, id);

            assertExactly(hub.storedSeqs(id), List.of(new long[] {firstSeq, lastSeq}));
            assertThat(agent.stderr()).doesNotContain("dropped");
        }
    }

    @Test
    void an_agent_killed_while_replaying_its_backlog_resumes_after_a_restart_without_loss(@TempDir Path state) throws Exception {
        JsonNode host = hub.registerHost("fault-agent-killed");
        long id = host.get("id").asLong();
        long firstRunFirst;
        long firstRunLast;
        try (var agent = startAgent(state, host, "--replay-rate", "2")) {
            firstRunFirst = firstSeq(agent);
            await("a stored sample", agent, () -> !hub.storedSeqs(id).isEmpty());
            hub.kill();
            Thread.sleep(8_000);
            hub.startAgain();
            // At 2 samples/s a backlog of about 10 takes 5 s: kill the agent in the middle of it.
            await("the backlog replay to start", agent, () -> agent.stderr().contains("sending a backlog of"));
            Thread.sleep(1_200);
            agent.kill();
            firstRunLast = newestWritten(state);
            assertThat(firstRunLast).as("the killed agent left samples unsent").isGreaterThan(hub.storedSeqs(id).get(hub.storedSeqs(id).size() - 1));
        }
        try (var again = startAgent(state, host)) {
            long secondRunFirst = firstSeq(again);
            await("the first run's backlog and 2 samples of the second run stored", again,
                    () -> hub.storedSeqs(id).containsAll(List.of(firstRunLast, secondRunFirst, secondRunFirst + 1)));
            long secondRunLast = stopAndDrain(again, state, id);

            assertExactly(hub.storedSeqs(id), List.of(new long[] {firstRunFirst, firstRunLast}, new long[] {secondRunFirst, secondRunLast}));
        }
    }

    private static ServmonProcess startAgent(Path state, JsonNode host, String... more) {
        List<String> args = new ArrayList<>(List.of("agent", "--hub", hub.ingestUrl(), "--key", host.get("key").asText(),
                "--interval", "1", "--state-dir", state.toString()));
        args.addAll(List.of(more));
        return ServmonProcess.start(args.toArray(String[]::new));
    }

    /**
     * Stops the agent with SIGTERM (it logs its last seq), then runs a fresh agent on the same
     * state dir until the hub holds that seq: oldest first, so everything before it was sent.
     */
    private static long stopAndDrain(ServmonProcess agent, Path state, long hostId) throws Exception {
        assertThat(agent.stop(Duration.ofSeconds(20))).as("graceful exit on SIGTERM").isIn(0, 143);
        long last = Long.parseLong(match(LAST_SEQ, agent));
        try (var drain = ServmonProcess.start("agent", "--hub", hub.ingestUrl(), "--interval", "1", "--state-dir", state.toString())) {
            await("the outbox drained through seq " + last, drain, () -> hub.storedSeqs(hostId).contains(last));
        }
        return last;
    }

    /** The newest seq a stopped agent wrote: the last in its outbox, else the newest the hub has. */
    private static long newestWritten(Path state) throws Exception {
        try (DiskOutbox outbox = DiskOutbox.open(state.resolve(Agent.OUTBOX_DIR_NAME), DiskOutbox.DEFAULT_MAX_BYTES, DiskOutbox.DEFAULT_MAX_AGE)) {
            List<Outbox.Entry> waiting = outbox.oldest(Integer.MAX_VALUE, Integer.MAX_VALUE);
            assertThat(waiting).as("samples waiting in the killed agent's outbox").isNotEmpty();
            return waiting.get(waiting.size() - 1).seq();
        }
    }

    /** The hub's seqs up to the end of the last run are exactly the runs' ranges, each complete. */
    private static void assertExactly(List<Long> stored, List<long[]> runs) {
        long end = runs.get(runs.size() - 1)[1];
        List<Long> upToEnd = stored.stream().filter(s -> s <= end).toList();
        TreeSet<Long> expected = new TreeSet<>();
        for (long[] run : runs) {
            assertThat(run[1]).as("run %d..%d", run[0], run[1]).isGreaterThanOrEqualTo(run[0]);
            for (long s = run[0]; s <= run[1]; s++) {
                expected.add(s);
            }
        }
        TreeSet<Long> missing = new TreeSet<>(expected);
        upToEnd.forEach(missing::remove);
        TreeSet<Long> extra = new TreeSet<>(upToEnd);
        extra.removeAll(expected);
        assertThat(missing).as("seqs produced but not stored").isEmpty();
        assertThat(extra).as("seqs stored but never produced").isEmpty();
        assertThat(upToEnd).as("no seq stored twice").doesNotHaveDuplicates().hasSize(expected.size());
    }

    private static long firstSeq(ServmonProcess agent) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!FIRST_SEQ.matcher(agent.stderr()).find() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return Long.parseLong(match(FIRST_SEQ, agent));
    }

    private static String match(Pattern p, ServmonProcess agent) {
        Matcher m = p.matcher(agent.stderr());
        if (!m.find()) {
            throw new AssertionError("agent log has no line matching " + p + "\n--- agent stderr ---\n" + agent.stderr());
        }
        return m.group(1);
    }

    private static void await(String what, ServmonProcess agent, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for: " + what
                        + "\n--- agent stderr ---\n" + agent.stderr() + "\n--- hub stderr ---\n" + hub.stderr());
            }
            Thread.sleep(100);
        }
    }
}

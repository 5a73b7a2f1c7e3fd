package dev.servmon.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.agent.collect.Collector;
import dev.servmon.agent.outbox.DiskOutbox;
import dev.servmon.agent.outbox.MemoryOutbox;
import dev.servmon.agent.outbox.Outbox;
import dev.servmon.protocol.IngestBatch;
import dev.servmon.protocol.ProtocolVersion;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a real HTTP server that speaks the ingest protocol, with a fast clock of 50 ms ticks. */
class AgentTest {
    private static final String KEY = "k3y-0123456789abcdef0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Agent.Pacing FAST = new Agent.Pacing(Duration.ofMillis(50), Duration.ofMillis(20), Duration.ofMillis(200));

    @TempDir
    Path state;
    private FakeHub hub;
    private final List<Agent> agents = new ArrayList<>();

    @BeforeEach
    void startHub() throws IOException {
        hub = FakeHub.start();
    }

    @AfterEach
    void stopAll() {
        agents.forEach(Agent::close);
        hub.close();
    }

    @Test
    void the_first_sample_reaches_the_hub_and_the_log_says_where_it_went() throws Exception {
        CountingCollector collector = new CountingCollector();
        try (LogCapture logs = LogCapture.of(Agent.class)) {
            Running running = start(agent(collector, FAST));

            // Closing cancels a request in flight, so wait for the agent to have seen the acknowledgement.
            FakeHub.await(WAIT, "the first acknowledgement", () -> logs.lines().stream().anyMatch(l -> l.contains("first report accepted")));
            running.agent.close();
            assertThat(running.outcome()).isEqualTo(Agent.Outcome.CLOSED);

            IngestBatch first = hub.batches().get(0);
            assertThat(first.protocolVersion()).isEqualTo(ProtocolVersion.CURRENT);
            assertThat(first.intervalSeconds()).isEqualTo(10);
            assertThat(first.agentVersion()).isNotBlank();
            assertThat(hub.authorizations()).allMatch(("Bearer " + KEY)::equals);
            assertThat(logs.lines()).first().asString()
                    .startsWith("INFO servmon agent").contains(hub.url().toString()).contains("every 10 s")
                    .contains("host key k3y-012345…").contains(state.toString());
            assertThat(logs.lines()).filteredOn(l -> l.contains("first report accepted")).hasSize(1);
            assertThat(logs.lines()).noneMatch(l -> l.contains(KEY));
        }
    }

    @Test
    void the_first_report_of_an_agent_built_from_config_alone_carries_this_machines_cpu_figure() throws Exception {
        Agent agent = new Agent(AgentConfig.of(hub.url(), KEY, null, state, 1));
        agents.add(agent);
        Running running = start(agent);

        FakeHub.await(WAIT, "a report", () -> !hub.batches().isEmpty());
        agent.close();
        assertThat(running.outcome()).isEqualTo(Agent.Outcome.CLOSED);

        Sample first = hub.batches().get(0).samples().get(0);
        assertThat(first.cpu().percent()).isNotNull().isBetween(0.0, 100.0);
        assertThat(first.memory().totalBytes()).isPositive();
        assertThat(first.filesystems()).isNotEmpty();
        assertThat(hub.batches().get(0).intervalSeconds()).isEqualTo(1);
        assertThat(Files.isDirectory(state.resolve(Agent.OUTBOX_DIR_NAME))).as("samples wait on disk, in the state dir").isTrue();
    }

    @Test
    void samples_are_resent_after_the_hub_comes_back_none_lost_none_stored_twice() throws Exception {
        CountingCollector collector = new CountingCollector();
        Running running = start(agent(collector, FAST));
        FakeHub.await(WAIT, "3 stored samples", () -> hub.storedSeqs().size() >= 3);

        hub.stop();
        int before = collector.seqs().size();
        FakeHub.await(WAIT, "10 samples taken while the hub is down", () -> collector.seqs().size() >= before + 10);
        hub.startAgain();
        long lastTakenDuringOutage = collector.seqs().get(collector.seqs().size() - 1);
        FakeHub.await(WAIT, "the outage's samples stored", () -> hub.storedSeqs().contains(lastTakenDuringOutage));
        running.agent.close();
        assertThat(running.outcome()).isEqualTo(Agent.Outcome.CLOSED);

        List<Long> taken = collector.seqs();
        List<Long> stored = hub.storedSeqs();
        assertThat(new HashSet<>(stored)).hasSameSizeAs(stored);
        // Stored in the order taken, with no gap: every sample up to the last stored one arrived.
        assertThat(stored).isEqualTo(taken.subList(0, stored.size()));
        assertThat(stored).isSortedAccordingTo(Long::compare);
        // The backlog went in few requests, not one per sample.
        assertThat(hub.batches()).anySatisfy(b -> assertThat(b.samples().size()).isGreaterThan(1));
    }

    @Test
    void a_backlog_is_sent_oldest_first_in_batches_no_faster_than_the_replay_rate() throws Exception {
        hub.stop();
        CountingCollector collector = new CountingCollector();
        Running running = start(agent(collector, FAST.withReplayRate(20), new MemoryOutbox(1000)));
        FakeHub.await(WAIT, "a backlog of 45", () -> collector.seqs().size() >= 45);

        try (LogCapture logs = LogCapture.of(Agent.class)) {
            hub.startAgain();
            long last = collector.seqs().get(44);
            FakeHub.await(WAIT, "the backlog stored", () -> hub.storedSeqs().contains(last));
            running.agent.close();

            assertThat(hub.storedSeqs()).isEqualTo(collector.seqs().subList(0, hub.storedSeqs().size()));
            List<IngestBatch> batches = hub.batches();
            List<Long> at = hub.requestAtNanos();
            assertThat(batches).allSatisfy(b -> assertThat(b.samples().size()).isLessThanOrEqualTo(20));
            for (int i = 1; i < batches.size(); i++) {
                long paceNanos = batches.get(i - 1).samples().size() * 1_000_000_000L / 20;
                assertThat(at.get(i) - at.get(i - 1)).as("gap before batch %d", i).isGreaterThanOrEqualTo(paceNanos - 30_000_000L);
            }
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).startsWith("INFO").contains("sending a backlog of").contains("at up to 20 samples/s"));
        }
    }

    @Test
    void samples_waiting_in_the_disk_outbox_are_sent_by_the_next_agent_none_lost_none_twice() throws Exception {
        hub.stop();
        CountingCollector firstCollector = new CountingCollector();
        Running first;
        try (LogCapture logs = LogCapture.of(Agent.class)) {
            first = start(agent(firstCollector, FAST, diskOutbox()));
            FakeHub.await(WAIT, "10 samples taken while the hub is down", () -> firstCollector.seqs().size() >= 10);
            first.agent.close();
            assertThat(first.outcome()).isEqualTo(Agent.Outcome.CLOSED);
            List<Long> taken = firstCollector.seqs();
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("stopped; last sample seq " + taken.get(taken.size() - 1))
                    .contains(taken.size() + " samples not acknowledged by the hub stay in the outbox"));
        }

        hub.startAgain();
        CountingCollector secondCollector = new CountingCollector();
        Running second = start(agent(secondCollector, FAST, diskOutbox()));
        FakeHub.await(WAIT, "the first agent's samples and 3 of the second's",
                () -> hub.storedSeqs().containsAll(firstCollector.seqs()) && secondCollector.seqs().size() >= 3
                        && hub.storedSeqs().containsAll(secondCollector.seqs().subList(0, 3)));
        second.agent.close();

        List<Long> stored = hub.storedSeqs();
        assertThat(stored.subList(0, firstCollector.seqs().size())).isEqualTo(firstCollector.seqs());
        assertThat(stored.subList(firstCollector.seqs().size(), stored.size()))
                .isEqualTo(secondCollector.seqs().subList(0, stored.size() - firstCollector.seqs().size()));
        assertThat(hub.duplicates()).isZero();
    }

    @Test
    void close_from_another_thread_returns_after_run_has_closed_the_outbox_as_a_shutdown_hook_needs() throws Exception {
        CountingCollector collector = new CountingCollector();
        Running running = start(agent(collector, FAST, diskOutbox()));
        FakeHub.await(WAIT, "a stored sample", () -> !hub.storedSeqs().isEmpty());

        running.agent.close();

        // The directory lock is free again: the outbox was closed (and fsync'ed) before close() returned.
        DiskOutbox.open(state.resolve(Agent.OUTBOX_DIR_NAME), DiskOutbox.DEFAULT_MAX_BYTES, DiskOutbox.DEFAULT_MAX_AGE).close();
        assertThat(running.outcome()).isEqualTo(Agent.Outcome.CLOSED);
    }

    @Test
    void an_overloaded_hub_is_left_alone_for_as_long_as_its_retry_after_says() throws Exception {
        hub.respondWith((n, b) -> n == 1 ? FakeHub.Response.problem(503, "write queue full", Map.of("Retry-After", "1")) : null);
        Running running = start(agent(new CountingCollector(), FAST));

        FakeHub.await(WAIT, "a stored sample", () -> !hub.storedSeqs().isEmpty());
        running.agent.close();

        List<Long> at = hub.requestAtNanos();
        // The backoff alone would retry after 10..20 ms.
        assertThat(Duration.ofNanos(at.get(1) - at.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void a_rejected_key_ends_run_with_KEY_REJECTED_and_the_log_shows_only_its_prefix() throws Exception {
        hub.respondWith((n, b) -> FakeHub.Response.problem(401, "unknown or revoked host key", Map.of()));
        try (LogCapture logs = LogCapture.of(Agent.class)) {
            Running running = start(agent(new CountingCollector(), FAST));

            assertThat(running.outcome()).isEqualTo(Agent.Outcome.KEY_REJECTED);
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).isEqualTo(
                    "ERROR servmon agent: the hub rejected host key k3y-012345… (401): unknown or revoked host key;"
                            + " register the host again and start with --key NEW_KEY"));
            assertThat(logs.lines()).noneMatch(l -> l.contains(KEY));
        }
        Thread.sleep(300);
        assertThat(hub.requests()).as("no retries with a rejected key").isEqualTo(1);
    }

    @Test
    void a_batch_the_hub_refuses_as_malformed_is_dropped_and_later_samples_still_arrive() throws Exception {
        hub.respondWith((n, b) -> n == 1 ? FakeHub.Response.problem(400, "samples[0].cpu.percent must be 0..100", Map.of()) : null);
        try (LogCapture logs = LogCapture.of(Agent.class)) {
            Running running = start(agent(new CountingCollector(), FAST));

            FakeHub.await(WAIT, "2 stored samples", () -> hub.storedSeqs().size() >= 2);
            running.agent.close();

            List<Long> refused = hub.batches().get(0).samples().stream().map(Sample::seq).toList();
            assertThat(hub.storedSeqs()).doesNotContainAnyElementsOf(refused);
            assertThat(hub.storedSeqs().get(0)).isGreaterThan(refused.get(refused.size() - 1));
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).startsWith("ERROR")
                    .contains("refused").contains("400").contains("samples[0].cpu.percent must be 0..100").contains("dropping"));
        }
    }

    @Test
    void a_backlog_the_hub_finds_too_large_is_sent_in_smaller_batches() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        hub.respondWith((n, b) -> down.get() ? FakeHub.Response.problem(503, "starting", Map.of())
                : b.samples().size() > 3 ? FakeHub.Response.problem(413, "body too large", Map.of()) : null);
        CountingCollector collector = new CountingCollector();
        Running running = start(agent(collector, FAST));

        FakeHub.await(WAIT, "a backlog of 12", () -> collector.seqs().size() >= 12);
        down.set(false);
        long last = collector.seqs().get(11);
        FakeHub.await(WAIT, "the backlog stored", () -> hub.storedSeqs().contains(last));
        running.agent.close();

        assertThat(hub.storedSeqs()).isEqualTo(collector.seqs().subList(0, hub.storedSeqs().size()));
        assertThat(hub.batches()).filteredOn(b -> b.samples().size() > 3).isNotEmpty();
    }

    @Test
    void close_stops_run_promptly_even_while_backing_off_and_leaves_no_agent_thread() throws Exception {
        hub.stop();
        Agent.Pacing slowRetries = new Agent.Pacing(Duration.ofMillis(50), Duration.ofSeconds(30), Duration.ofSeconds(60));
        Running running = start(agent(new CountingCollector(), slowRetries));
        Thread.sleep(300);

        long start = System.nanoTime();
        running.agent.close();

        assertThat(running.outcome()).isEqualTo(Agent.Outcome.CLOSED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        FakeHub.await(Duration.ofSeconds(2), "the collector thread to end",
                () -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("servmon-agent")));
        hub.startAgain();
    }

    @Test
    void sequence_numbers_keep_increasing_across_agent_restarts() throws Exception {
        Running first = start(agent(new CountingCollector(), FAST));
        FakeHub.await(WAIT, "3 stored samples", () -> hub.storedSeqs().size() >= 3);
        first.agent.close();
        first.outcome();
        int storedByFirst = hub.storedSeqs().size();

        Running second = start(agent(new CountingCollector(), FAST));
        FakeHub.await(WAIT, "3 more stored samples", () -> hub.storedSeqs().size() >= storedByFirst + 3);
        second.agent.close();

        assertThat(hub.storedSeqs()).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
        assertThat(hub.duplicates()).isZero();
    }

    @Test
    void run_can_be_called_once() throws Exception {
        Agent agent = agent(new CountingCollector(), FAST);
        agent.close();

        assertThat(agent.run()).isEqualTo(Agent.Outcome.CLOSED);
        assertThatThrownBy(agent::run).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_config_without_a_key_is_refused() {
        AgentConfig noKey = new AgentConfig(hub.url(), null, state.resolve("host.key"), state, 10);

        assertThatThrownBy(() -> new Agent(noKey, new CountingCollector(), new MemoryOutbox(10), FAST, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no host key");
    }

    private Agent agent(Collector collector, Agent.Pacing pacing) throws IOException {
        return agent(collector, pacing, new MemoryOutbox(MemoryOutbox.DEFAULT_CAPACITY));
    }

    private Agent agent(Collector collector, Agent.Pacing pacing, Outbox outbox) throws IOException {
        AgentConfig cfg = new AgentConfig(hub.url(), KEY, state.resolve("host.key"), state, 10);
        Agent agent = new Agent(cfg, collector, outbox, pacing, Clock.systemUTC());
        agents.add(agent);
        return agent;
    }

    private DiskOutbox diskOutbox() throws IOException {
        return DiskOutbox.open(state.resolve(Agent.OUTBOX_DIR_NAME), DiskOutbox.DEFAULT_MAX_BYTES, DiskOutbox.DEFAULT_MAX_AGE);
    }

    private static Running start(Agent agent) {
        return new Running(agent);
    }

    /** An agent's run() on a thread of its own. */
    static final class Running {
        final Agent agent;
        private final CompletableFuture<Agent.Outcome> outcome = new CompletableFuture<>();

        Running(Agent agent) {
            this.agent = agent;
            Thread t = new Thread(() -> {
                try {
                    outcome.complete(agent.run());
                } catch (Throwable e) {
                    outcome.completeExceptionally(e);
                }
            }, "test-agent-run");
            t.setDaemon(true);
            t.start();
        }

        Agent.Outcome outcome() throws Exception {
            return outcome.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Takes trivial samples and remembers their seqs, in order. */
    static final class CountingCollector implements Collector {
        private final List<Long> seqs = new ArrayList<>();

        @Override
        public synchronized Sample collect(long seq, long atMs) {
            seqs.add(seq);
            return new Sample(seq, atMs, new Sample.Cpu(1.0, List.of(), null, null, null), null, null, null, null, null, null);
        }

        synchronized List<Long> seqs() {
            return List.copyOf(seqs);
        }
    }
}

package dev.servmon.app.simulate;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code servmon simulate}: a fleet of made-up hosts reporting to a local hub, for load tests. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate a fleet: N made-up hosts send realistic reports (per-core CPU, memory, filesystems, NICs, disks,",
                "temperatures; inventory in the first report) to a hub on this machine, every --interval seconds, spread evenly.",
                "Prints progress every few seconds and at the end the achieved reports/s, ack latency p50/p95/p99 and errors by kind.",
                "",
                "Host keys: with --api-url, the simulator signs in as the admin (password from the environment variable that",
                "--admin-password-env names) and registers hosts <name-prefix>00001…; with --keys FILE it saves their keys there,",
                "and a later run with the same --keys reuses them without --api-url (seqs restart at the current time, so the hub",
                "stores the new samples rather than ignoring them as replays).",
                "",
                "Only loopback hubs (localhost, 127.0.0.1, [::1]) are accepted. Runs until --duration or --max-reports, or Ctrl-C.",
                "Exit codes: 0 done, 1 the hub acknowledged nothing, 2 usage."},
        footer = {"", "Example: servmon simulate --hosts 1000 --interval 10 --duration 120 --hub http://127.0.0.1:8081 \\",
                "           --api-url http://127.0.0.1:8080 --keys sim-keys.txt"})
public final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--hub", paramLabel = "URL", required = true, description = "The hub's ingest URL, e.g. http://127.0.0.1:8081 (loopback only).")
    String hub;

    @Option(names = "--hosts", paramLabel = "N", defaultValue = "100", description = "Simulated hosts, 1 to 100000 (default: ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds between two reports of a host, 1 to 3600 (default: ${DEFAULT-VALUE}).")
    int interval;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "60",
            description = "Seconds to send for, 1 to 86400 (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--max-reports", paramLabel = "N", defaultValue = "0",
            description = "Stop after this many reports (default: no limit but --duration).")
    long maxReports;

    @Option(names = "--api-url", paramLabel = "URL",
            description = "The hub's UI/API URL, e.g. http://127.0.0.1:8080, to register the hosts as admin (loopback only).")
    String apiUrl;

    @Option(names = "--admin-user", paramLabel = "NAME", defaultValue = "admin", description = "Admin user that registers hosts (default: ${DEFAULT-VALUE}).")
    String adminUser;

    @Option(names = "--admin-password-env", paramLabel = "VAR", defaultValue = "SERVMON_ADMIN_PASSWORD",
            description = "Environment variable holding that user's password (default: ${DEFAULT-VALUE}).")
    String adminPasswordEnv;

    @Option(names = "--keys", paramLabel = "FILE",
            description = "Host keys file: read when it exists (its first N hosts report), else written after registering (mode 0600).")
    Path keysFile;

    @Option(names = "--name-prefix", paramLabel = "PREFIX", defaultValue = "sim-",
            description = "Names of registered hosts: PREFIX00001, PREFIX00002, … (default: ${DEFAULT-VALUE}).")
    String namePrefix;

    @Option(names = "--acked-log", paramLabel = "FILE",
            description = "Write '<host name> <seq>' for every sample the hub acknowledged (for crash tests).")
    Path ackedLog;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "64",
            description = "Most requests in flight at once, 1 to 10000 (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "4", description = "Worker threads, 1 to 64 (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--progress-every", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
    int progressEvery;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the made-up figures (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        validate();
        URI ingest = Loopback.require("--hub", hub);
        URI api = apiUrl == null ? null : Loopback.require("--api-url", apiUrl);
        List<HostKeys.HostKey> keys = keys(api);

        var stats = new FleetStats();
        AckedLog log = ackedLog == null ? null : new AckedLog(ackedLog);
        var fleet = new Fleet(keys, new Fleet.Settings(ingest, interval, Duration.ofSeconds(duration), maxReports, concurrency, threads, seed),
                stats, log);
        System.out.printf(Locale.ROOT, "simulate: %,d hosts every %d s (%,.1f reports/s) to %s for %d s%s%n", hosts, interval, hosts / (double) interval,
                ingest, duration, maxReports > 0 ? String.format(Locale.ROOT, " or %,d reports", maxReports) : "");
        var progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "servmon-simulate-progress");
            t.setDaemon(true);
            return t;
        });
        FleetStats.Tick start = stats.tick();
        FleetStats.Tick[] previous = {start};
        progress.scheduleAtFixedRate(() -> {
            FleetStats.Tick now = stats.tick();
            System.out.println(stats.progressLine(start, previous[0], now));
            previous[0] = now;
            if (log != null) {
                log.flush();
            }
        }, progressEvery, progressEvery, TimeUnit.SECONDS);

        CountDownLatch finished = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            fleet.stop();
            try {
                finished.await(40, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "servmon-simulate-stop");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            fleet.run();
        } finally {
            progress.shutdownNow();
            if (log != null) {
                log.close();
            }
            System.out.print(stats.summary(hosts, interval, concurrency, (System.nanoTime() - start.atNanos()) / 1e9));
            System.out.flush();
            finished.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onCtrlC);
        } catch (IllegalStateException e) {
            // Already shutting down (Ctrl-C): the hook is running and has just been released.
        }
        return stats.acked.sum() > 0 ? 0 : 1;
    }

    private void validate() {
        range("--hosts", hosts, 1, 100_000);
        range("--interval", interval, 1, 3600);
        range("--duration", duration, 1, 86_400);
        range("--concurrency", concurrency, 1, 10_000);
        range("--threads", threads, 1, 64);
        range("--progress-every", progressEvery, 1, 3600);
        if (maxReports < 0) {
            throw new IllegalArgumentException("servmon simulate: --max-reports must be 0 (no limit) or more, got " + maxReports);
        }
        if (apiUrl == null && (keysFile == null || !Files.exists(keysFile))) {
            throw new IllegalArgumentException("servmon simulate: the simulator needs host keys: give --api-url (the hub's UI/API URL, to register "
                    + hosts + " hosts as admin) or --keys FILE written by an earlier run" + (keysFile == null ? "" : " (" + keysFile + " does not exist)"));
        }
    }

    private static void range(String flag, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("servmon simulate: " + flag + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    /** The hosts' keys: from --keys when it exists, else registered through the API (and saved to --keys). */
    private List<HostKeys.HostKey> keys(URI api) throws InterruptedException {
        if (keysFile != null && Files.exists(keysFile)) {
            List<HostKeys.HostKey> all = HostKeys.read(keysFile);
            if (all.size() < hosts) {
                throw new IllegalArgumentException("servmon simulate: --keys " + keysFile + " holds " + all.size() + " hosts, fewer than --hosts "
                        + hosts + "; use a new keys file (with --api-url) or fewer hosts");
            }
            System.out.printf(Locale.ROOT, "simulate: %,d host keys from %s%n", hosts, keysFile);
            return all.subList(0, hosts);
        }
        String password = System.getenv(adminPasswordEnv);
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("servmon simulate: set the admin password in the environment variable " + adminPasswordEnv
                    + " (or name another with --admin-password-env) to register hosts through --api-url");
        }
        List<String> names = IntStream.rangeClosed(1, hosts).mapToObj(i -> String.format(Locale.ROOT, "%s%05d", namePrefix, i)).toList();
        long t0 = System.nanoTime();
        List<HostKeys.HostKey> keys = HostKeys.register(api, adminUser, password, names, System.out);
        if (keysFile != null) {
            HostKeys.write(keysFile, keys);
        }
        System.out.printf(Locale.ROOT, "simulate: registered %,d hosts at %s in %.1f s%s%n", keys.size(), api, (System.nanoTime() - t0) / 1e9,
                keysFile == null ? "" : "; keys saved to " + keysFile);
        return keys;
    }
}

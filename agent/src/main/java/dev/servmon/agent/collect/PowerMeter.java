package dev.servmon.agent.collect;

import dev.servmon.agent.Log;
import dev.servmon.protocol.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's power draw in watts, from the best source it has, by how much of the machine it
 * covers: {@code ipmi} (the BMC measures the whole box at the power supply), then {@code rapl}
 * (CPU packages and DRAM), then {@code battery} (a laptop's discharge rate, only while on
 * battery), then {@code gpu} (the sum of what {@code nvidia-smi} reports). No source: no figure,
 * never an estimate.
 *
 * <p>IPMI is asked every {@link #IPMI_EVERY_MILLIS} (each call is a round trip to the BMC that
 * can take a second) and its answer reused in between. It is tried only when {@code ipmitool}
 * is on the {@code PATH} and an IPMI device node exists and may be opened, which usually means
 * the agent runs as root. RAPL counters are root-only on kernels since 5.10 (CVE-2020-8694):
 * when they may not be read, RAPL is given up for the agent's lifetime with one log line.
 */
final class PowerMeter {
    /** How often the BMC is asked. */
    static final long IPMI_EVERY_MILLIS = 60_000;
    static final Duration IPMI_TIMEOUT = Duration.ofSeconds(5);
    private static final List<String> IPMI_DEVICES = List.of("ipmi0", "ipmi/0", "ipmidev/0");
    private static final Log log = Log.get(PowerMeter.class);

    /** A power figure and where it comes from. */
    record Reading(double watts, String source) {}

    private final Path powercap;
    private final Path powerSupply;
    private final List<String> ipmiCommand;
    private final String raplSource;
    private final String batterySource;
    private final SourceHealth health = new SourceHealth(log);

    private List<String> raplZones;
    private boolean raplDenied;
    private List<Rapl.Reading> lastRapl;
    private long lastRaplAtNanos;
    private final Cadence ipmiReads = new Cadence(IPMI_EVERY_MILLIS);
    private Double ipmiWatts;

    /**
     * @param sys the directory standing for {@code /sys}
     * @param dev the directory standing for {@code /dev}
     * @param searchPath where to look for {@code ipmitool}, a {@code PATH} value
     */
    PowerMeter(Path sys, Path dev, String searchPath) {
        this.powercap = sys.resolve("class/powercap");
        this.powerSupply = sys.resolve("class/power_supply");
        this.ipmiCommand = ipmiCommand(dev, searchPath);
        this.raplSource = "RAPL energy counters in " + powercap;
        this.batterySource = "batteries in " + powerSupply;
    }

    private static List<String> ipmiCommand(Path dev, String searchPath) {
        Path ipmitool = Command.find("ipmitool", searchPath);
        if (ipmitool == null) {
            return null;
        }
        for (String name : IPMI_DEVICES) {
            Path node = dev.resolve(name);
            if (Files.exists(node)) {
                if (Files.isReadable(node) && Files.isWritable(node)) {
                    return List.of(ipmitool.toString(), "dcmi", "power", "reading");
                }
                log.info("servmon agent: {} exists but this user may not open it; power is not read from the BMC (run the agent as root for it)", node);
                return null;
            }
        }
        return null;
    }

    /**
     * Reads the sources and picks the best figure.
     *
     * @param atMs the sample's time, which paces the IPMI reads
     * @param gpus the GPUs of this sample, the last resort
     * @return the figure, or {@code null} when the host has no power sensor this agent can read
     */
    Reading read(long atMs, List<Sample.Gpu> gpus) {
        Double ipmi = ipmiCommand == null ? null : ipmi(atMs);
        // RAPL is read even when IPMI answers, so its counters stay primed should the BMC stop answering.
        Double rapl = raplDenied ? null : health.attempt(raplSource, this::rapl);
        Double battery = ipmi != null || rapl != null ? null : health.attempt(batterySource, this::battery);
        return choose(ipmi, rapl, battery, gpus);
    }

    /**
     * The figure of the source that covers most of the machine, or {@code null} when there is none.
     *
     * @param gpus GPUs whose power draws add up to the last resort; may be {@code null}
     */
    static Reading choose(Double ipmi, Double rapl, Double battery, List<Sample.Gpu> gpus) {
        if (ipmi != null) {
            return new Reading(ipmi, "ipmi");
        }
        if (rapl != null) {
            return new Reading(rapl, "rapl");
        }
        if (battery != null) {
            return new Reading(battery, "battery");
        }
        double gpuWatts = 0;
        boolean anyGpu = false;
        for (Sample.Gpu g : gpus == null ? List.<Sample.Gpu>of() : gpus) {
            if (g.powerWatts() != null) {
                gpuWatts += g.powerWatts();
                anyGpu = true;
            }
        }
        return anyGpu ? new Reading(gpuWatts, "gpu") : null;
    }

    private Double ipmi(long atMs) {
        if (ipmiReads.due(atMs)) {
            ipmiWatts = health.attempt("ipmitool dcmi power reading", this::askBmc);
        }
        return ipmiWatts;
    }

    private Double askBmc() throws IOException {
        try {
            return PowerReadings.ipmiDcmiWatts(Command.run(ipmiCommand, IPMI_TIMEOUT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running ipmitool", e);
        }
    }

    /**
     * Average watts since the previous call; {@code null} on the first call (and after the
     * zones changed), which only primes the counters.
     */
    private Double rapl() throws IOException {
        if (raplZones == null) {
            raplZones = Rapl.countedZones(zoneNames());
        }
        if (raplZones.isEmpty()) {
            return null;
        }
        List<Rapl.Reading> now = new ArrayList<>(raplZones.size());
        long atNanos = System.nanoTime();
        try {
            for (String zone : raplZones) {
                Path dir = powercap.resolve(zone);
                now.add(new Rapl.Reading(zone, readLong(dir.resolve("energy_uj")), maxRange(dir)));
            }
        } catch (AccessDeniedException e) {
            raplDenied = true;
            log.info("servmon agent: RAPL energy counters ({}) are readable by root only on this kernel; power is not read from them"
                    + " (run the agent as root, or grant read access to energy_uj)", e.getFile());
            return null;
        }
        Double watts = lastRapl == null ? null : Rapl.wattsSince(lastRapl, now, atNanos - lastRaplAtNanos);
        lastRapl = now;
        lastRaplAtNanos = atNanos;
        return watts;
    }

    private Map<String, String> zoneNames() throws IOException {
        Map<String, String> names = new LinkedHashMap<>();
        if (!Files.isDirectory(powercap)) {
            return names;
        }
        for (Path p : DirEntries.sorted(powercap)) {
            String name = SmallFile.readTrimmed(p.resolve("name"));
            if (name != null && Files.exists(p.resolve("energy_uj"))) {
                names.put(p.getFileName().toString(), name);
            }
        }
        return names;
    }

    private static long maxRange(Path zone) throws IOException {
        String text = SmallFile.readTrimmed(zone.resolve("max_energy_range_uj"));
        return text == null || text.isEmpty() ? 0 : Long.parseLong(text);
    }

    private static long readLong(Path file) throws IOException {
        return Long.parseLong(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim());
    }

    /** Watts delivered by all discharging batteries, or {@code null} when none discharges. */
    private Double battery() throws IOException {
        if (!Files.isDirectory(powerSupply)) {
            return null;
        }
        Double total = null;
        for (Path supply : DirEntries.sorted(powerSupply)) {
            if (!"Battery".equals(SmallFile.readTrimmed(supply.resolve("type")))) {
                continue;
            }
            String uevent = SmallFile.readTrimmed(supply.resolve("uevent"));
            Double watts = uevent == null ? null : PowerReadings.batteryDischargeWatts(uevent);
            if (watts != null) {
                total = total == null ? watts : total + watts;
            }
        }
        return total;
    }
}

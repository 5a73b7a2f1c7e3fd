package dev.servmon.protocol;

import java.util.List;

/**
 * One observation of a host at {@code atMs}. Rates (per-second figures) are averaged over the
 * time since the previous sample. Any figure the agent cannot read is {@code null}, never a
 * made-up zero.
 *
 * @param seq per-host, strictly increasing sequence number; (host, seq) identifies a sample
 *     and makes replays idempotent
 * @param atMs when the sample was taken, epoch milliseconds UTC
 * @param cpu processor figures
 * @param memory memory and swap
 * @param filesystems mounted, real (non-pseudo) filesystems
 * @param network per-interface rates
 * @param uptimeSeconds seconds since boot
 * @param usersLoggedIn number of logged-in user sessions
 * @param powerWatts measured power draw of the whole host (or of what {@code powerSource}
 *     covers), or {@code null} when the host has no sensor; never an estimate
 * @param powerSource where {@code powerWatts} comes from: {@code rapl} (CPU package + DRAM
 *     energy counters), {@code battery} (discharge rate), {@code ipmi} (BMC DCMI reading),
 *     {@code gpu} (only GPUs seen); {@code null} with {@code powerWatts}
 * @param disks per block device IO rates
 * @param temperatures sensor readings
 * @param fans fan speeds
 * @param gpus GPUs (NVIDIA via nvidia-smi)
 * @param users logged-in sessions; {@code usersLoggedIn} is their count
 * @param processes the top processes by CPU and by memory (the union of both top-N lists),
 *     or empty when this sample carries no process scan (scans run at a slower cadence)
 * @param bootTimeMs when the host booted, epoch milliseconds
 * @param inventory what the host is made of; present only when it changed since the agent
 *     last sent it (and in the first sample after the agent starts)
 * @param programs the programs the agent supervises and the systemd units / Windows services it
 *     watches, as they are at {@code atMs} (empty when it has none)
 * @param programEvents what happened to them since the previous sample (started, stopped,
 *     exited, restarted, gave up), oldest first; riding the sample makes them as durable as it
 */
public record Sample(
        long seq,
        long atMs,
        Cpu cpu,
        Memory memory,
        List<Filesystem> filesystems,
        List<NetInterface> network,
        Long uptimeSeconds,
        Integer usersLoggedIn,
        Double powerWatts,
        String powerSource,
        List<Disk> disks,
        List<Temperature> temperatures,
        List<Fan> fans,
        List<Gpu> gpus,
        List<UserSession> users,
        List<Process> processes,
        Long bootTimeMs,
        Inventory inventory,
        List<Program> programs,
        List<ProgramEvent> programEvents) {

    public Sample {
        filesystems = copy(filesystems);
        network = copy(network);
        disks = copy(disks);
        temperatures = copy(temperatures);
        fans = copy(fans);
        gpus = copy(gpus);
        users = copy(users);
        processes = copy(processes);
        programs = copy(programs);
        programEvents = copy(programEvents);
    }

    /** A sample without programs (the figures before program supervision). */
    public Sample(long seq, long atMs, Cpu cpu, Memory memory, List<Filesystem> filesystems, List<NetInterface> network,
            Long uptimeSeconds, Integer usersLoggedIn, Double powerWatts, String powerSource, List<Disk> disks,
            List<Temperature> temperatures, List<Fan> fans, List<Gpu> gpus, List<UserSession> users,
            List<Process> processes, Long bootTimeMs, Inventory inventory) {
        this(seq, atMs, cpu, memory, filesystems, network, uptimeSeconds, usersLoggedIn, powerWatts, powerSource, disks,
                temperatures, fans, gpus, users, processes, bootTimeMs, inventory, null, null);
    }

    /** A sample with only the figures of protocol version 1's first release. */
    public Sample(long seq, long atMs, Cpu cpu, Memory memory, List<Filesystem> filesystems, List<NetInterface> network,
            Long uptimeSeconds, Integer usersLoggedIn, Double powerWatts) {
        this(seq, atMs, cpu, memory, filesystems, network, uptimeSeconds, usersLoggedIn, powerWatts,
                null, null, null, null, null, null, null, null, null);
    }

    /** This sample with {@code inventory} attached (or removed, when null). */
    public Sample withInventory(Inventory inventory) {
        return new Sample(seq, atMs, cpu, memory, filesystems, network, uptimeSeconds, usersLoggedIn, powerWatts,
                powerSource, disks, temperatures, fans, gpus, users, processes, bootTimeMs, inventory, programs, programEvents);
    }

    /** This sample with the programs' status and the events since the previous sample. */
    public Sample withPrograms(List<Program> programs, List<ProgramEvent> programEvents) {
        return new Sample(seq, atMs, cpu, memory, filesystems, network, uptimeSeconds, usersLoggedIn, powerWatts,
                powerSource, disks, temperatures, fans, gpus, users, processes, bootTimeMs, inventory, programs, programEvents);
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /**
     * @param percent busy share of all cores, 0..100
     * @param perCorePercent busy share per logical core, 0..100 each
     * @param load1 1-minute load average ({@code null} where the OS has none, e.g. Windows)
     * @param load5 5-minute load average
     * @param load15 15-minute load average
     * @param userPercent share of all cores in user mode (including nice), 0..100
     * @param systemPercent share in kernel mode (including irq and softirq)
     * @param iowaitPercent share idle while waiting for IO
     * @param stealPercent share taken by the hypervisor for other guests
     * @param perCore the same split per logical core, in core order
     * @param contextSwitchesPerSec context switches per second, all cores
     */
    public record Cpu(Double percent, List<Double> perCorePercent, Double load1, Double load5, Double load15,
            Double userPercent, Double systemPercent, Double iowaitPercent, Double stealPercent,
            List<CoreTimes> perCore, Double contextSwitchesPerSec) {
        public Cpu {
            perCorePercent = copy(perCorePercent);
            perCore = copy(perCore);
        }

        public Cpu(Double percent, List<Double> perCorePercent, Double load1, Double load5, Double load15) {
            this(percent, perCorePercent, load1, load5, load15, null, null, null, null, null, null);
        }
    }

    /** One core's split of time, each 0..100. */
    public record CoreTimes(Double userPercent, Double systemPercent, Double iowaitPercent, Double stealPercent) {}

    /**
     * @param totalBytes physical memory
     * @param usedBytes memory in use (total minus available)
     * @param availableBytes memory available to new work without swapping
     * @param swapTotalBytes swap space
     * @param swapUsedBytes swap in use
     * @param cachedBytes page cache (file-backed, reclaimable), excluding swap cache
     * @param buffersBytes block device buffers
     */
    public record Memory(Long totalBytes, Long usedBytes, Long availableBytes, Long swapTotalBytes, Long swapUsedBytes,
            Long cachedBytes, Long buffersBytes) {
        public Memory(Long totalBytes, Long usedBytes, Long availableBytes, Long swapTotalBytes, Long swapUsedBytes) {
            this(totalBytes, usedBytes, availableBytes, swapTotalBytes, swapUsedBytes, null, null);
        }
    }

    /**
     * @param mount mount point (or drive on Windows)
     * @param type filesystem type, e.g. ext4
     * @param totalBytes size
     * @param usedBytes used space
     * @param device the mounted device, e.g. /dev/sda1
     * @param freeBytes space available to unprivileged users (less than total − used when blocks are reserved for root)
     * @param inodesTotal inodes, or {@code null} where the filesystem has no fixed count (btrfs, FAT)
     * @param inodesUsed inodes in use
     */
    public record Filesystem(String mount, String type, long totalBytes, long usedBytes,
            String device, Long freeBytes, Long inodesTotal, Long inodesUsed) {
        public Filesystem(String mount, String type, long totalBytes, long usedBytes) {
            this(mount, type, totalBytes, usedBytes, null, null, null, null);
        }
    }

    /**
     * @param name interface name
     * @param rxBytesPerSec received bytes per second
     * @param txBytesPerSec sent bytes per second
     * @param rxPacketsPerSec received packets per second
     * @param txPacketsPerSec sent packets per second
     * @param rxErrorsPerSec receive errors per second
     * @param txErrorsPerSec transmit errors per second
     * @param rxDropsPerSec received packets dropped per second
     * @param txDropsPerSec transmit packets dropped per second
     */
    public record NetInterface(String name, double rxBytesPerSec, double txBytesPerSec,
            Double rxPacketsPerSec, Double txPacketsPerSec, Double rxErrorsPerSec, Double txErrorsPerSec,
            Double rxDropsPerSec, Double txDropsPerSec) {
        public NetInterface(String name, double rxBytesPerSec, double txBytesPerSec) {
            this(name, rxBytesPerSec, txBytesPerSec, null, null, null, null, null, null);
        }
    }

    /**
     * Block device IO (whole disks, not partitions).
     *
     * @param name device, e.g. sda, nvme0n1
     * @param readBytesPerSec bytes read per second
     * @param writeBytesPerSec bytes written per second
     * @param readOpsPerSec completed reads per second
     * @param writeOpsPerSec completed writes per second
     * @param busyPercent share of time with IO in flight, 0..100
     */
    public record Disk(String name, double readBytesPerSec, double writeBytesPerSec, double readOpsPerSec,
            double writeOpsPerSec, Double busyPercent) {}

    /**
     * @param sensor where it is measured, e.g. {@code coretemp/Package id 0} or {@code thermal_zone0/x86_pkg_temp}
     * @param celsius the reading
     * @param highCelsius the sensor's high (warning) threshold, when it has one
     * @param criticalCelsius the sensor's critical threshold, when it has one
     */
    public record Temperature(String sensor, double celsius, Double highCelsius, Double criticalCelsius) {}

    /**
     * @param sensor e.g. {@code nct6775/fan1}
     * @param rpm revolutions per minute
     */
    public record Fan(String sensor, double rpm) {}

    /**
     * @param index the GPU's index as the vendor tool numbers it
     * @param name model
     * @param utilPercent GPU busy share, 0..100
     * @param memUsedBytes GPU memory in use
     * @param memTotalBytes GPU memory
     * @param powerWatts power draw
     * @param celsius temperature
     */
    public record Gpu(int index, String name, Double utilPercent, Long memUsedBytes, Long memTotalBytes,
            Double powerWatts, Double celsius) {}

    /**
     * @param user login name
     * @param tty terminal, e.g. pts/0
     * @param from remote host, or {@code null} for a local login
     * @param sinceMs login time, epoch milliseconds
     */
    public record UserSession(String user, String tty, String from, Long sinceMs) {}

    /**
     * @param pid process id
     * @param name command name
     * @param user owner
     * @param cpuPercent share of one core since the previous scan (can exceed 100 on several cores)
     * @param rssBytes resident memory
     */
    public record Process(long pid, String name, String user, Double cpuPercent, Long rssBytes) {}

    /**
     * What a host is made of; sent when it changes.
     *
     * @param hostname the host's name
     * @param os OS name and version, e.g. {@code Debian GNU/Linux 12 (bookworm)}
     * @param kernel kernel release
     * @param arch CPU architecture, e.g. amd64
     * @param cpuModel processor model
     * @param cpuCores logical cores
     * @param cpuPhysicalCores physical cores
     * @param memTotalBytes physical memory
     * @param disks block devices
     * @param nics network interfaces (MAC addresses are what Wake-on-LAN needs)
     * @param agentVersion the agent's version
     */
    public record Inventory(String hostname, String os, String kernel, String arch, String cpuModel,
            Integer cpuCores, Integer cpuPhysicalCores, Long memTotalBytes, List<InventoryDisk> disks,
            List<Nic> nics, String agentVersion) {
        public Inventory {
            disks = copy(disks);
            nics = copy(nics);
        }
    }

    /**
     * @param name device, e.g. sda
     * @param model model string
     * @param sizeBytes capacity
     * @param rotational true for spinning disks
     */
    public record InventoryDisk(String name, String model, Long sizeBytes, Boolean rotational) {}

    /**
     * @param name interface name
     * @param mac MAC address, lower case, colon-separated
     * @param addresses IPv4 and IPv6 addresses with prefix length, e.g. {@code 192.168.1.5/24}
     * @param speedMbps link speed, when known
     */
    public record Nic(String name, String mac, List<String> addresses, Integer speedMbps) {
        public Nic {
            addresses = copy(addresses);
        }
    }

    /**
     * A supervised program, or a watched systemd unit or Windows service, at the sample's time.
     *
     * @param name the program's name (unique per host), or the unit's / service's name
     * @param kind {@code program} (supervised by the agent), {@code systemd} or {@code windows-service}
     * @param state {@code RUNNING}, {@code STARTING}, {@code STOPPING}, {@code STOPPED}, {@code BACKOFF},
     *     {@code EXITED}, {@code FAILED}, or {@code UNKNOWN} when a unit's state cannot be read
     * @param pid the process id while it runs
     * @param exitCode the last exit status (128 + n when ended by signal n), when it has exited
     * @param restarts restarts by the agent since the program was defined or last started by hand
     * @param startedAtMs when the current run started, epoch milliseconds
     * @param cpuPercent share of one core since the previous sample (can exceed 100 on several cores)
     * @param rssBytes resident memory
     * @param message one line for people about the state, e.g. why it gave up
     */
    public record Program(String name, String kind, String state, Long pid, Integer exitCode, int restarts,
            Long startedAtMs, Double cpuPercent, Long rssBytes, String message) {}

    /**
     * Something that happened to a program.
     *
     * @param program the program's name
     * @param kind {@code started}, {@code stopped}, {@code exited}, {@code restarted} or {@code gave_up}
     * @param atMs when, epoch milliseconds
     * @param exitCode the exit status, for {@code exited} (and {@code gave_up}, {@code stopped} when known)
     * @param message one line for people, e.g. {@code health check failed 3 times: connection refused}
     */
    public record ProgramEvent(String program, String kind, long atMs, Integer exitCode, String message) {}
}

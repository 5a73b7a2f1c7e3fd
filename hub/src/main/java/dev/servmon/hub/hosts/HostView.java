package dev.servmon.hub.hosts;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.servmon.protocol.Sample;

/**
 * A host as the API and the live stream show it: identity, status and the latest figures.
 *
 * @param sample the latest full sample; only on the single-host endpoint, else null
 * @param inventory the latest inventory the agent sent (it sends one on start and on change);
 *     only on the single-host endpoint, else null
 * @param inventoryAtMs time of the sample that carried {@code inventory}
 * @param processes the newest process scan (samples between two scans carry none); only on the
 *     single-host endpoint, else null
 * @param processesAtMs time of the sample that carried {@code processes}
 */
public record HostView(
        long id,
        String name,
        HostStatus status,
        long createdAtMs,
        Long lastSeenAtMs,
        Integer intervalSeconds,
        String agentVersion,
        Latest latest,
        @JsonInclude(JsonInclude.Include.NON_NULL) Sample sample,
        @JsonInclude(JsonInclude.Include.NON_NULL) Sample.Inventory inventory,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long inventoryAtMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) java.util.List<Sample.Process> processes,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long processesAtMs) {

    /** Headline figures of the latest sample, summed over filesystems and non-loopback interfaces. */
    public record Latest(
            long atMs,
            Double cpuPercent,
            Double load1,
            Long memUsedBytes,
            Long memTotalBytes,
            Long swapUsedBytes,
            Long swapTotalBytes,
            Long diskUsedBytes,
            Long diskTotalBytes,
            Double netRxBytesPerSec,
            Double netTxBytesPerSec,
            Long uptimeSeconds,
            Integer usersLoggedIn,
            Double powerWatts) {

        public static Latest of(Sample s) {
            var cpu = s.cpu();
            var mem = s.memory();
            Long diskUsed = null;
            Long diskTotal = null;
            if (!s.filesystems().isEmpty()) {
                long used = 0;
                long total = 0;
                for (var fs : s.filesystems()) {
                    used += fs.usedBytes();
                    total += fs.totalBytes();
                }
                diskUsed = used;
                diskTotal = total;
            }
            Double rx = null;
            Double tx = null;
            for (var nic : s.network()) {
                if (isLoopback(nic.name())) {
                    continue;
                }
                rx = (rx == null ? 0 : rx) + nic.rxBytesPerSec();
                tx = (tx == null ? 0 : tx) + nic.txBytesPerSec();
            }
            return new Latest(s.atMs(),
                    cpu == null ? null : cpu.percent(),
                    cpu == null ? null : cpu.load1(),
                    mem == null ? null : mem.usedBytes(),
                    mem == null ? null : mem.totalBytes(),
                    mem == null ? null : mem.swapUsedBytes(),
                    mem == null ? null : mem.swapTotalBytes(),
                    diskUsed, diskTotal, rx, tx,
                    s.uptimeSeconds(), s.usersLoggedIn(), s.powerWatts());
        }

        private static boolean isLoopback(String name) {
            return name == null || name.equals("lo") || name.startsWith("Loopback");
        }
    }
}

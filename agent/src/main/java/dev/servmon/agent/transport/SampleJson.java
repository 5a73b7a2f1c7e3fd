package dev.servmon.agent.transport;

import dev.servmon.protocol.Sample;

/**
 * Writes {@link Sample} and its nested records for {@link Json}: every component by name, in
 * declaration order, leaving {@code null} ones out, exactly as Jackson's default record writer
 * does apart from the nulls.
 *
 * <p>Written out by hand rather than read by reflection: reflective accessors cost the agent
 * some 40 classes on JDK 17 (one generated accessor per component read often enough) and
 * method-handle classes on JDK 18+, and three times the CPU per sample. A record gaining a
 * component must gain a line here; JsonTest compares this writer with a reflective one on a
 * sample in which every component is set, so a missing line fails the build.
 */
final class SampleJson {
    private SampleJson() {}

    /** Writes {@code r} when it is one of the sample records; false (nothing written) otherwise. */
    static boolean write(StringBuilder sb, Record r) {
        if (r instanceof Sample s) {
            sample(sb, s);
        } else if (r instanceof Sample.Cpu c) {
            new Obj(sb).field("percent", c.percent()).field("perCorePercent", c.perCorePercent())
                    .field("load1", c.load1()).field("load5", c.load5()).field("load15", c.load15())
                    .field("userPercent", c.userPercent()).field("systemPercent", c.systemPercent())
                    .field("iowaitPercent", c.iowaitPercent()).field("stealPercent", c.stealPercent())
                    .field("perCore", c.perCore()).field("contextSwitchesPerSec", c.contextSwitchesPerSec()).end();
        } else if (r instanceof Sample.CoreTimes t) {
            new Obj(sb).field("userPercent", t.userPercent()).field("systemPercent", t.systemPercent())
                    .field("iowaitPercent", t.iowaitPercent()).field("stealPercent", t.stealPercent()).end();
        } else if (r instanceof Sample.Memory m) {
            new Obj(sb).field("totalBytes", m.totalBytes()).field("usedBytes", m.usedBytes())
                    .field("availableBytes", m.availableBytes()).field("swapTotalBytes", m.swapTotalBytes())
                    .field("swapUsedBytes", m.swapUsedBytes()).field("cachedBytes", m.cachedBytes())
                    .field("buffersBytes", m.buffersBytes()).end();
        } else if (r instanceof Sample.Filesystem f) {
            new Obj(sb).field("mount", f.mount()).field("type", f.type()).field("totalBytes", f.totalBytes())
                    .field("usedBytes", f.usedBytes()).field("device", f.device()).field("freeBytes", f.freeBytes())
                    .field("inodesTotal", f.inodesTotal()).field("inodesUsed", f.inodesUsed()).end();
        } else if (r instanceof Sample.NetInterface n) {
            new Obj(sb).field("name", n.name()).field("rxBytesPerSec", n.rxBytesPerSec()).field("txBytesPerSec", n.txBytesPerSec())
                    .field("rxPacketsPerSec", n.rxPacketsPerSec()).field("txPacketsPerSec", n.txPacketsPerSec())
                    .field("rxErrorsPerSec", n.rxErrorsPerSec()).field("txErrorsPerSec", n.txErrorsPerSec())
                    .field("rxDropsPerSec", n.rxDropsPerSec()).field("txDropsPerSec", n.txDropsPerSec()).end();
        } else if (r instanceof Sample.Disk d) {
            new Obj(sb).field("name", d.name()).field("readBytesPerSec", d.readBytesPerSec())
                    .field("writeBytesPerSec", d.writeBytesPerSec()).field("readOpsPerSec", d.readOpsPerSec())
                    .field("writeOpsPerSec", d.writeOpsPerSec()).field("busyPercent", d.busyPercent()).end();
        } else if (r instanceof Sample.Temperature t) {
            new Obj(sb).field("sensor", t.sensor()).field("celsius", t.celsius()).field("highCelsius", t.highCelsius())
                    .field("criticalCelsius", t.criticalCelsius()).end();
        } else if (r instanceof Sample.Fan f) {
            new Obj(sb).field("sensor", f.sensor()).field("rpm", f.rpm()).end();
        } else if (r instanceof Sample.Gpu g) {
            new Obj(sb).field("index", g.index()).field("name", g.name()).field("utilPercent", g.utilPercent())
                    .field("memUsedBytes", g.memUsedBytes()).field("memTotalBytes", g.memTotalBytes())
                    .field("powerWatts", g.powerWatts()).field("celsius", g.celsius()).end();
        } else if (r instanceof Sample.UserSession u) {
            new Obj(sb).field("user", u.user()).field("tty", u.tty()).field("from", u.from()).field("sinceMs", u.sinceMs()).end();
        } else if (r instanceof Sample.Process p) {
            new Obj(sb).field("pid", p.pid()).field("name", p.name()).field("user", p.user())
                    .field("cpuPercent", p.cpuPercent()).field("rssBytes", p.rssBytes()).end();
        } else if (r instanceof Sample.Inventory i) {
            new Obj(sb).field("hostname", i.hostname()).field("os", i.os()).field("kernel", i.kernel()).field("arch", i.arch())
                    .field("cpuModel", i.cpuModel()).field("cpuCores", i.cpuCores()).field("cpuPhysicalCores", i.cpuPhysicalCores())
                    .field("memTotalBytes", i.memTotalBytes()).field("disks", i.disks()).field("nics", i.nics())
                    .field("agentVersion", i.agentVersion()).end();
        } else if (r instanceof Sample.InventoryDisk d) {
            new Obj(sb).field("name", d.name()).field("model", d.model()).field("sizeBytes", d.sizeBytes())
                    .field("rotational", d.rotational()).end();
        } else if (r instanceof Sample.Nic n) {
            new Obj(sb).field("name", n.name()).field("mac", n.mac()).field("addresses", n.addresses())
                    .field("speedMbps", n.speedMbps()).end();
        } else if (r instanceof Sample.Program p) {
            new Obj(sb).field("name", p.name()).field("kind", p.kind()).field("state", p.state()).field("pid", p.pid())
                    .field("exitCode", p.exitCode()).field("restarts", p.restarts()).field("startedAtMs", p.startedAtMs())
                    .field("cpuPercent", p.cpuPercent()).field("rssBytes", p.rssBytes()).field("message", p.message()).end();
        } else if (r instanceof Sample.ProgramEvent e) {
            new Obj(sb).field("program", e.program()).field("kind", e.kind()).field("atMs", e.atMs())
                    .field("exitCode", e.exitCode()).field("message", e.message()).end();
        } else {
            return false;
        }
        return true;
    }

    private static void sample(StringBuilder sb, Sample s) {
        new Obj(sb).field("seq", s.seq()).field("atMs", s.atMs()).field("cpu", s.cpu()).field("memory", s.memory())
                .field("filesystems", s.filesystems()).field("network", s.network()).field("uptimeSeconds", s.uptimeSeconds())
                .field("usersLoggedIn", s.usersLoggedIn()).field("powerWatts", s.powerWatts()).field("powerSource", s.powerSource())
                .field("disks", s.disks()).field("temperatures", s.temperatures()).field("fans", s.fans()).field("gpus", s.gpus())
                .field("users", s.users()).field("processes", s.processes()).field("bootTimeMs", s.bootTimeMs())
                .field("inventory", s.inventory()).field("programs", s.programs())
                .field("programEvents", s.programEvents()).end();
    }

    /** One JSON object being written: commas between members, null members left out. */
    private static final class Obj {
        private final StringBuilder sb;
        private boolean empty = true;

        Obj(StringBuilder sb) {
            this.sb = sb;
            sb.append('{');
        }

        /** A member of any type {@link Json#write(StringBuilder, Object)} writes; left out when null. */
        Obj field(String name, Object value) {
            if (value != null) {
                name(name);
                Json.write(sb, value);
            }
            return this;
        }

        Obj field(String name, long value) {
            name(name);
            sb.append(value);
            return this;
        }

        Obj field(String name, double value) {
            name(name);
            Json.number(sb, value);
            return this;
        }

        void end() {
            sb.append('}');
        }

        private void name(String name) {
            if (!empty) {
                sb.append(',');
            }
            empty = false;
            // Member names are Java identifiers: nothing to escape.
            sb.append('"').append(name).append("\":");
        }
    }
}

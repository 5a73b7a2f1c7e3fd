package dev.servmon.agent.collect;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mount table from Linux {@code /proc/self/mountinfo}, and the choice of which mounts are real
 * filesystems worth reporting.
 *
 * <p>mountinfo rather than {@code /proc/mounts} because it carries the device number
 * ({@code major:minor}) of every mount: the same device mounted twice (bind mounts, btrfs
 * subvolumes, a disk mounted at two places) is then counted once.
 */
public final class MountInfo {

    /** Kernel, memory-backed and image filesystems: not disk space an operator manages. */
    static final Set<String> PSEUDO_TYPES = Set.of(
            "proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "mqueue", "debugfs", "tracefs", "securityfs",
            "pstore", "bpf", "autofs", "fusectl", "configfs", "nsfs", "ramfs", "hugetlbfs", "binfmt_misc",
            "efivarfs", "rpc_pipefs", "cgroup", "cgroup2", "squashfs", "rootfs", "selinuxfs", "overlay",
            "aufs", "iso9660", "udf", "nfsd", "devfs", "sockfs", "pipefs", "fuse.portal", "fuse.gvfsd-fuse",
            "fuse.lxcfs", "fuse.snapfuse");

    /**
     * Filesystems of another machine. Left out: they are that machine's disk, and {@code statvfs}
     * on a hung server blocks the collector for good.
     */
    static final Set<String> NETWORK_TYPES = Set.of(
            "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "ceph", "9p", "virtiofs", "glusterfs",
            "lustre", "gpfs", "davfs", "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse.glusterfs");

    /**
     * Real filesystems that live on an anonymous device (major number 0) rather than a block
     * device. Any other type on major 0 is taken for a pseudo filesystem, so one missing from
     * {@link #PSEUDO_TYPES} is still left out.
     */
    static final Set<String> ANONYMOUS_DEVICE_TYPES = Set.of("btrfs", "zfs", "bcachefs", "overlay", "fuseblk", "ubifs");

    private MountInfo() {}

    /**
     * One mountinfo line.
     *
     * @param device {@code major:minor} of the mounted device
     * @param root the directory of the device that is mounted ({@code /} unless a bind mount of a subdirectory)
     * @param mountPoint where it is mounted, with the kernel's octal escapes ({@code \040}) decoded
     * @param type filesystem type, e.g. {@code ext4} or {@code fuse.sshfs}
     * @param source the mount source, e.g. {@code /dev/sda1}
     */
    public record Mount(String device, String root, String mountPoint, String type, String source) {}

    /**
     * Parses the text of {@code /proc/self/mountinfo}.
     *
     * @throws IllegalArgumentException when a line lacks the {@code -} separator or required fields
     */
    public static List<Mount> parse(String text) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split(" ");
            int dash = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (f.length < 7 || dash < 0 || dash + 2 >= f.length) {
                throw new IllegalArgumentException("malformed /proc/self/mountinfo line: " + line);
            }
            mounts.add(new Mount(f[2], unescape(f[3]), unescape(f[4]), f[dash + 1], unescape(f[dash + 2])));
        }
        return mounts;
    }

    /**
     * The mounts worth reporting as disk space: local, non-pseudo filesystems, each device once.
     *
     * <p>Left out: mounts of anonymous devices (major 0) unless of a type in
     * {@link #ANONYMOUS_DEVICE_TYPES}, {@link #PSEUDO_TYPES} (including {@code overlay}, whose space is the backing
     * filesystem's, already counted — a container's own overlay root is the one exception, kept
     * when it is mounted at {@code /} so a containerised agent still reports its disk), network
     * filesystems ({@link #NETWORK_TYPES}) and other {@code fuse.*} userspace filesystems
     * ({@code fuseblk}, e.g. NTFS on a disk, is kept). Of several mounts of one device, the first
     * one that mounts the device's root is kept, else the first.
     */
    public static List<Mount> realFilesystems(List<Mount> mounts) {
        Map<String, Mount> byDevice = new LinkedHashMap<>();
        for (Mount m : mounts) {
            if (!isReal(m)) {
                continue;
            }
            Mount kept = byDevice.get(m.device());
            if (kept == null || (!kept.root().equals("/") && m.root().equals("/"))) {
                byDevice.put(m.device(), m);
            }
        }
        return List.copyOf(byDevice.values());
    }

    private static boolean isReal(Mount m) {
        String type = m.type();
        if (m.device().startsWith("0:") && !ANONYMOUS_DEVICE_TYPES.contains(type)) {
            return false;
        }
        if (type.equals("overlay")) {
            return m.mountPoint().equals("/");
        }
        if (PSEUDO_TYPES.contains(type) || NETWORK_TYPES.contains(type)) {
            return false;
        }
        return !type.startsWith("fuse.") && !type.startsWith("cgroup");
    }

    /** Decodes the kernel's {@code \ooo} octal escapes (space, tab, newline, backslash) as UTF-8 bytes. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        byte[] raw = field.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\\' && i + 3 < raw.length && isOctal(raw[i + 1]) && isOctal(raw[i + 2]) && isOctal(raw[i + 3])) {
                out.write((raw[i + 1] - '0') * 64 + (raw[i + 2] - '0') * 8 + (raw[i + 3] - '0'));
                i += 3;
            } else {
                out.write(raw[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte b) {
        return b >= '0' && b <= '7';
    }
}

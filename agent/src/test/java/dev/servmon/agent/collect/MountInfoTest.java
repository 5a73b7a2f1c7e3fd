package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.agent.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountInfoTest {

    @Test
    void this_vm_has_one_real_filesystem_its_ext4_root() {
        List<MountInfo.Mount> real = MountInfo.realFilesystems(MountInfo.parse(Fixtures.text("this-vm/mountinfo")));

        assertThat(real).containsExactly(new MountInfo.Mount("254:0", "/", "/", "ext4", "/dev/vda"));
    }

    @Test
    void a_systemd_desktop_keeps_its_disks_and_drops_cgroups_autofs_tmpfs_and_gvfs() {
        List<MountInfo.Mount> all = MountInfo.parse(Fixtures.text("node-exporter/mountinfo"));
        List<MountInfo.Mount> real = MountInfo.realFilesystems(all);

        assertThat(all).hasSize(32);
        assertThat(real).extracting(MountInfo.Mount::mountPoint).containsExactly(
                "/",
                "/boot",
                // Mount points carry the kernel's octal escapes; \040 is a space.
                "/var/lib/kubelet/plugins/kubernetes.io/vsphere-volume/mounts/[vsanDatastore] bafb9e5a-8856-7e6c-699c-801844e77a4a/kubernetes-dynamic-pvc-3eba5bba-48a3-11e8-89ab-005056b92113.vmdk",
                // A bind mount of a directory of an xfs disk that is not mounted anywhere else.
                "/var/lib/containers/storage/overlay");
        // The same kubelet volume (260:0) is mounted twice; the autofs line has type and source swapped.
        assertThat(real).extracting(MountInfo.Mount::type).containsExactly("ext4", "ext2", "ext4", "xfs");
    }

    @Test
    void network_filesystems_are_left_out_even_when_mounted_twice() {
        List<MountInfo.Mount> real = MountInfo.realFilesystems(MountInfo.parse(Fixtures.text("node-exporter/mountinfo-nfs")));

        assertThat(real).extracting(MountInfo.Mount::mountPoint).containsExactly("/");
    }

    @Test
    void a_device_mounted_twice_is_counted_once_and_unknown_types_without_a_disk_are_left_out() {
        String text = """
                30 1 8:2 /home/shared /srv/shared rw - ext4 /dev/sda2 rw
                31 1 8:2 / /data rw - ext4 /dev/sda2 rw
                32 1 8:2 / /data-again rw - ext4 /dev/sda2 rw
                33 1 0:40 / /mnt/usb rw - fuseblk /dev/sdb1 rw
                34 1 0:41 / /mnt/remote rw - fuse.sshfs me@host: rw
                35 1 0:42 / /pool rw - zfs tank rw
                36 1 0:43 / /srv/new-pseudo rw - somefuturefs none rw
                """;

        assertThat(MountInfo.realFilesystems(MountInfo.parse(text)))
                .extracting(MountInfo.Mount::mountPoint).containsExactly("/data", "/mnt/usb", "/pool");
    }

    @Test
    void an_overlay_is_kept_only_as_a_container_root() {
        String text = """
                500 400 0:50 / / rw - overlay overlay rw,lowerdir=/a,upperdir=/b,workdir=/c
                501 1 0:51 / /var/lib/docker/overlay2/abc/merged rw - overlay overlay rw,lowerdir=/d
                """;

        assertThat(MountInfo.realFilesystems(MountInfo.parse(text)))
                .extracting(MountInfo.Mount::mountPoint).containsExactly("/");
    }

    @Test
    void escapes_decode_to_utf8_spaces_tabs_and_backslashes() {
        assertThat(MountInfo.unescape("/mnt/a\\040b\\011c\\134d")).isEqualTo("/mnt/a b\tc\\d");
        assertThat(MountInfo.unescape("/mnt/caf\\303\\251")).isEqualTo("/mnt/café");
    }

    @Test
    void a_line_without_the_separator_is_rejected() {
        assertThatThrownBy(() -> MountInfo.parse("1 2 8:1 / / rw ext4 /dev/sda1 rw\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

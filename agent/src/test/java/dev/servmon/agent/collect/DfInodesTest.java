package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.agent.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DfInodesTest {
    @Test
    void gnu_df_gives_inodes_per_mount_point() {
        Map<String, DfInodes.Inodes> inodes = DfInodes.parse(Fixtures.text("this-vm/df-P-i-l.txt"));

        assertThat(inodes.get("/")).isEqualTo(new DfInodes.Inodes(16777216, 424925));
        assertThat(inodes.get("/dev/shm")).isEqualTo(new DfInodes.Inodes(3085510, 1));
        assertThat(inodes).hasSize(5);
    }

    @Test
    void busybox_layout_keeps_spaces_in_mount_points_and_leaves_out_dynamic_inode_file_systems() {
        Map<String, DfInodes.Inodes> inodes = DfInodes.parse(Fixtures.text("documented/df-P-i-busybox-btrfs.txt"));

        assertThat(inodes.get("/mnt/backup disk")).isEqualTo(new DfInodes.Inodes(30531584, 1203456));
        assertThat(inodes).as("btrfs reports 0 inodes: no limit, not 0 of 0").doesNotContainKey("/srv/btrfs");
        assertThat(inodes).containsOnlyKeys("/", "/mnt/backup disk", "/run");
    }

    @Test
    void output_that_is_not_a_df_table_is_rejected() {
        assertThatThrownBy(() -> DfInodes.parse("df: invalid option -- 'i'\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a df -P -i table");
        assertThatThrownBy(() -> DfInodes.parse("Filesystem Inodes IUsed IFree IUse% Mounted on\n/dev/x 10 many 0 1% /\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'many'");
        assertThatThrownBy(() -> DfInodes.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.servmon.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostKeysTest {
    @Test
    void a_keys_file_reads_back_what_was_written_and_only_its_owner_can_read_it(@TempDir Path dir) throws Exception {
        var keys = List.of(new HostKeys.HostKey("sim-00001", "smk_aaa"), new HostKeys.HostKey("sim-00002", "smk_bbb"));
        Path file = dir.resolve("sub/keys.txt");
        HostKeys.write(file, keys);
        assertThat(HostKeys.read(file)).isEqualTo(keys);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void comments_and_blank_lines_are_skipped_and_a_bad_line_is_named() {
        assertThat(HostKeys.parse("# c\n\n  web-1   smk_x  \r\nweb-2\tsmk_y\n", Path.of("k.txt")))
                .containsExactly(new HostKeys.HostKey("web-1", "smk_x"), new HostKeys.HostKey("web-2", "smk_y"));
        assertThatThrownBy(() -> HostKeys.parse("web-1 smk_x\nweb-2\n", Path.of("k.txt")))
                .hasMessageContaining("k.txt line 2")
                .hasMessageContaining("'<host name> <key>'");
    }
}

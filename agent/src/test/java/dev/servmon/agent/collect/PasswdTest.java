package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servmon.agent.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PasswdTest {

    @Test
    void the_vm_passwd_maps_uids_to_names() {
        Map<Long, String> users = Passwd.parse(Fixtures.text("this-vm/etc/passwd"));

        assertThat(users).containsEntry(0L, "root").containsEntry(1000L, "cloudsdk").containsEntry(65534L, "nobody");
    }

    @Test
    void comments_nis_entries_and_malformed_lines_are_skipped_and_the_first_name_of_a_uid_wins() {
        Map<Long, String> users = Passwd.parse("# local\nroot:x:0:0::/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n"
                + "+@netgroup::::::\nbroken:x:abc:0::/:/bin/sh\nshort:x\n\nalice:x:1001:1001:Alice:/home/alice:/bin/bash\n");

        assertThat(users).containsOnly(Map.entry(0L, "root"), Map.entry(1001L, "alice"));
    }
}

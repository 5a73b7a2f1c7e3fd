package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldsTest {

    @Test
    void fields_are_split_on_any_run_of_spaces_and_tabs_like_the_regex_split() {
        for (String line : new String[] {"cpu  1 2\t3", "  eth0:  1   2 ", "a", "MemTotal:\t 24684084 kB\r"}) {
            assertThat(Fields.split(line)).as(line).containsExactly(line.trim().split("\\s+"));
        }
    }

    @Test
    void a_blank_text_has_no_fields() {
        assertThat(Fields.split("")).isEmpty();
        assertThat(Fields.split(" \t\n")).isEmpty();
    }
}

package dev.servmon.app.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TableOrderTest {
    @Test
    void referenced_tables_come_before_the_tables_that_refer_to_them() {
        var order = TableOrder.of(Map.of(
                "sessions", Set.of("users"),
                "users", Set.of(),
                "sample_head", Set.of("hosts"),
                "hosts", Set.of(),
                "series", Set.of("hosts", "series"),
                "alerts", Set.of("hosts", "users")));
        assertThat(order).containsExactly("hosts", "users", "alerts", "sample_head", "series", "sessions");
    }

    @Test
    void a_cycle_is_refused() {
        assertThatThrownBy(() -> TableOrder.of(Map.of("a", Set.of("b"), "b", Set.of("a"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a → b → a");
    }
}

package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.agent.Fixtures;
import dev.servmon.protocol.Sample;
import org.junit.jupiter.api.Test;

class MemInfoTest {

    @Test
    void used_memory_is_total_minus_available_on_this_vm_which_has_no_swap() {
        Sample.Memory mem = MemInfo.parse(Fixtures.text("this-vm/meminfo")).toMemory();

        assertThat(mem.totalBytes()).isEqualTo(24684084L * 1024);
        assertThat(mem.availableBytes()).isEqualTo(23858416L * 1024);
        assertThat(mem.usedBytes()).isEqualTo((24684084L - 23858416L) * 1024);
        assertThat(mem.swapTotalBytes()).isZero();
        assertThat(mem.swapUsedBytes()).isZero();
    }

    @Test
    void kernels_before_3_14_without_MemAvailable_count_free_buffers_and_cache_as_available() {
        Sample.Memory mem = MemInfo.parse(Fixtures.text("node-exporter/meminfo")).toMemory();

        long available = (225472L + 22040L + 930888L) * 1024;
        assertThat(mem.totalBytes()).isEqualTo(3742148L * 1024);
        assertThat(mem.availableBytes()).isEqualTo(available);
        assertThat(mem.usedBytes()).isEqualTo(3742148L * 1024 - available);
        assertThat(mem.swapTotalBytes()).isEqualTo(4194300L * 1024);
        assertThat(mem.swapUsedBytes()).isEqualTo((4194300L - 3155360L) * 1024);
    }

    @Test
    void figures_the_file_lacks_are_null_not_zero() {
        Sample.Memory mem = MemInfo.parse("MemTotal: 1000 kB\nMemAvailable: 400 kB\n").toMemory();

        assertThat(mem.usedBytes()).isEqualTo(600 * 1024);
        assertThat(mem.swapTotalBytes()).isNull();
        assertThat(mem.swapUsedBytes()).isNull();
    }

    @Test
    void text_without_MemTotal_is_rejected() {
        assertThatThrownBy(() -> MemInfo.parse("MemFree: 1 kB\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MemTotal");
    }

    @Test
    void page_cache_and_buffers_are_reported_without_the_swap_cache() {
        Sample.Memory vm = MemInfo.parse(Fixtures.text("this-vm/meminfo")).toMemory();
        Sample.Memory old = MemInfo.parse(Fixtures.text("node-exporter/meminfo")).toMemory();

        assertThat(vm.cachedBytes()).isEqualTo(975136L * 1024);
        assertThat(vm.buffersBytes()).isEqualTo(6684L * 1024);
        assertThat(old.cachedBytes()).as("Cached, not Cached + SwapCached").isEqualTo(930888L * 1024);
        assertThat(old.buffersBytes()).isEqualTo(22040L * 1024);
        assertThat(MemInfo.parse("MemTotal: 1000 kB\n").toMemory().cachedBytes()).isNull();
    }
}

package dev.servmon.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlockCodecTest {
    static RawSample sample(long seq, long at, Object... nameValue) {
        String[] names = new String[nameValue.length / 2];
        double[] values = new double[names.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = (String) nameValue[2 * i];
            values[i] = ((Number) nameValue[2 * i + 1]).doubleValue();
        }
        return new RawSample(seq, at, names, values);
    }

    @Test
    void samples_come_back_rounded_to_their_metrics_precision_with_series_that_come_and_go() {
        List<RawSample> in = List.of(
                sample(10, 1_000, "cpu", 12.3456, "mem_used", 4096L * 1000, "fs_used:/", 1e12),
                sample(11, 11_003, "cpu", 99.999, "mem_used", 4096L * 1003),
                sample(15, 20_990, "mem_used", 4096L * 900, "fs_used:/data", 5.0, "temp:cpu", -12.346),
                sample(16, 20_991, "cpu", 0.0, "net_rx", 123456.789));
        for (boolean compress : new boolean[] {true, false}) {
            List<RawSample> out = BlockCodec.decode(BlockCodec.encode(in, compress));
            assertThat(out).containsExactly(
                    sample(10, 1_000, "cpu", 12.35, "mem_used", 4096L * 1000, "fs_used:/", 1e12),
                    sample(11, 11_003, "cpu", 100.0, "mem_used", 4096L * 1003),
                    sample(15, 20_990, "mem_used", 4096L * 900, "fs_used:/data", 5.0, "temp:cpu", -12.35),
                    sample(16, 20_991, "cpu", 0.0, "net_rx", 123457.0));
        }
    }

    @Test
    void random_blocks_round_trip_exactly_once_quantized() {
        var rnd = new SplittableRandom(5);
        for (int round = 0; round < 50; round++) {
            List<RawSample> in = new ArrayList<>();
            long at = rnd.nextLong(1L << 41);
            for (int i = 0; i < 1 + rnd.nextInt(400); i++) {
                at += rnd.nextInt(20_000) - 1_000; // times may even go backwards
                List<Object> nv = new ArrayList<>();
                for (String name : List.of("cpu", "load1", "mem_used", "net_rx:eth0", "temp:x", "users")) {
                    if (rnd.nextInt(5) > 0) {
                        nv.add(name);
                        nv.add(BlockCodec.quantize(name, (rnd.nextDouble() - 0.3) * Math.pow(10, rnd.nextInt(12))));
                    }
                }
                in.add(sample(1_000_000 + i * (1 + rnd.nextInt(3)), at, nv.toArray()));
            }
            assertThat(BlockCodec.decode(BlockCodec.encode(in, true))).isEqualTo(in);
        }
    }

    @Test
    void values_that_do_not_fit_are_left_out_rather_than_stored_wrong() {
        var out = BlockCodec.decode(BlockCodec.encode(List.of(sample(1, 1, "cpu", 1e300, "mem_used", 5)), true));
        assertThat(out.get(0).names()).containsExactly("mem_used");
    }

    @Test
    void a_steady_series_costs_about_a_byte_per_value_or_less() {
        List<RawSample> in = new ArrayList<>();
        for (int i = 0; i < 360; i++) {
            in.add(sample(i, i * 10_000L, "mem_total", 16L << 30, "mem_used", (1L << 32) + (i % 7) * 4096L, "cpu", 20 + (i % 13) * 0.37));
        }
        assertThat(BlockCodec.encode(in, true).length).isLessThan(3 * 360);
    }

    @Test
    void corrupt_blocks_are_refused_with_a_clear_error() {
        byte[] good = BlockCodec.encode(List.of(sample(1, 1, "cpu", 5)), true);
        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        assertThatThrownBy(() -> BlockCodec.decode(truncated)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample block");
        assertThatThrownBy(() -> BlockCodec.decode(new byte[] {9, 0})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
        byte[] raw = BlockCodec.encode(List.of(sample(1, 1, "cpu", 5)), false);
        raw[2] = (byte) 0xFF;
        raw[3] = (byte) 0xFF;
        assertThatThrownBy(() -> BlockCodec.decode(raw)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample block");
    }
}

package dev.servmon.agent.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servmon.agent.Fixtures;
import dev.servmon.protocol.Sample;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetDevTest {
    private static final long ONE_SECOND = 1_000_000_000L;

    @Test
    void every_interface_of_a_busy_host_is_parsed_including_names_with_colons() {
        NetDev dev = NetDev.parse(Fixtures.text("node-exporter/net-dev"));

        assertThat(dev.interfaces()).containsOnlyKeys(
                "tun0", "veth4B09XN", "lo", "eth0", "lxcbr0", "wlan0", "docker0", "ibr10:30");
        // "eth0:68210035552 ..." has no space after the colon.
        // eth0:68210035552 520993275 0 0 0 0 0 0 9315587528 43451486 0 0 0 0 0 0
        assertThat(dev.interfaces().get("eth0"))
                .isEqualTo(new NetDev.Counters(68210035552L, 520993275L, 0, 0, 9315587528L, 43451486L, 0, 0));
        assertThat(dev.interfaces().get("ibr10:30")).isEqualTo(new NetDev.Counters(0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void rates_are_bytes_per_second_of_every_interface_but_loopback() {
        NetDev before = NetDev.parse(Fixtures.text("this-vm/net-dev.1"));
        NetDev after = NetDev.parse(Fixtures.text("this-vm/net-dev.2").replace("379527231", "379529231"));

        List<Sample.NetInterface> rates = after.ratesSince(before, 2 * ONE_SECOND);

        assertThat(rates).extracting(Sample.NetInterface::name).containsExactly("ifb0", "ifb1", "eth0");
        assertThat(rates.get(2).name()).isEqualTo("eth0");
        assertThat(rates.get(2).rxBytesPerSec()).isEqualTo(1000.0);
        assertThat(rates.get(2).txBytesPerSec()).isEqualTo(0.0);
    }

    @Test
    void an_interface_whose_counters_went_backwards_or_that_is_new_is_left_out_this_time() {
        NetDev before = NetDev.parse(header() + "  eth0: 5000 0 0 0 0 0 0 0 7000 0 0 0 0 0 0 0\n");
        NetDev after = NetDev.parse(header()
                + "  eth0: 100 0 0 0 0 0 0 0 200 0 0 0 0 0 0 0\n"
                + " wlan0: 100 0 0 0 0 0 0 0 200 0 0 0 0 0 0 0\n");

        assertThat(after.ratesSince(before, ONE_SECOND)).isEmpty();
    }

    @Test
    void a_line_with_too_few_counters_is_rejected() {
        assertThatThrownBy(() -> NetDev.parse(header() + "  eth0: 1 2 3\n")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String header() {
        return Fixtures.text("this-vm/net-dev.1").lines().limit(2).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void packets_errors_and_drops_are_rates_per_direction() {
        NetDev before = NetDev.parse(header() + "  eth0: 1000 10 1 2 0 0 0 0 2000 20 3 4 0 0 0 0\n");
        NetDev after = NetDev.parse(header() + "  eth0: 3000 30 5 6 0 0 0 0 6000 60 7 12 0 0 0 0\n");

        Sample.NetInterface eth0 = after.ratesSince(before, 2 * ONE_SECOND).get(0);

        assertThat(eth0).isEqualTo(new Sample.NetInterface("eth0", 1000.0, 2000.0, 10.0, 20.0, 2.0, 2.0, 2.0, 4.0));
    }

    @Test
    void the_captured_vm_interfaces_have_packet_rates_and_no_errors() {
        NetDev before = NetDev.parse(Fixtures.text("this-vm/net-dev.1"));
        NetDev after = NetDev.parse(Fixtures.text("this-vm/net-dev.2"));
        NetDev.Counters b = before.interfaces().get("eth0");
        NetDev.Counters a = after.interfaces().get("eth0");

        Sample.NetInterface eth0 = after.ratesSince(before, ONE_SECOND).get(2);

        assertThat(eth0.rxPacketsPerSec()).isEqualTo((double) (a.rxPackets() - b.rxPackets()));
        assertThat(eth0.txPacketsPerSec()).isEqualTo((double) (a.txPackets() - b.txPackets()));
        assertThat(eth0.rxErrorsPerSec()).isZero();
        assertThat(eth0.txDropsPerSec()).isZero();
    }

    @Test
    void an_error_counter_going_back_leaves_the_interface_out_too() {
        NetDev before = NetDev.parse(header() + "  eth0: 1000 10 9 0 0 0 0 0 2000 20 0 0 0 0 0 0\n");
        NetDev after = NetDev.parse(header() + "  eth0: 3000 30 0 0 0 0 0 0 6000 60 0 0 0 0 0 0\n");

        assertThat(after.ratesSince(before, ONE_SECOND)).isEmpty();
    }
}

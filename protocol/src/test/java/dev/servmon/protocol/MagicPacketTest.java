package dev.servmon.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MagicPacketTest {
    @Test
    void a_packet_is_six_ff_then_the_mac_sixteen_times() {
        byte[] mac = MagicPacket.parseMac("00:11:22:Aa:bB:cc");
        byte[] p = MagicPacket.of(mac);
        assertThat(p).hasSize(102);
        for (int i = 0; i < 6; i++) {
            assertThat(p[i]).isEqualTo((byte) 0xFF);
        }
        for (int r = 0; r < 16; r++) {
            assertThat(new byte[] {p[6 + r * 6], p[7 + r * 6], p[8 + r * 6], p[9 + r * 6], p[10 + r * 6], p[11 + r * 6]})
                    .containsExactly(0x00, 0x11, 0x22, 0xaa, 0xbb, 0xcc);
        }
    }

    @Test
    void macs_are_read_with_colons_dashes_or_nothing_and_written_lower_case() {
        assertThat(MagicPacket.format(MagicPacket.parseMac("00-11-22-AA-BB-CC"))).isEqualTo("00:11:22:aa:bb:cc");
        assertThat(MagicPacket.format(MagicPacket.parseMac(" 001122aabbcc "))).isEqualTo("00:11:22:aa:bb:cc");
    }

    @Test
    void bad_macs_are_refused_with_the_text_and_an_example() {
        for (String bad : new String[] {"", "00:11:22:aa:bb", "00:11-22:aa:bb:cc", "00:11:22:aa:bb:cg", "zz", "00.11.22.aa.bb.cc"}) {
            assertThatThrownBy(() -> MagicPacket.parseMac(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("e.g. 00:11:22:aa:bb:cc");
        }
        assertThatThrownBy(() -> MagicPacket.parseMac("00:00:00:00:00:00")).hasMessageContaining("not the MAC address of a network card");
        assertThatThrownBy(() -> MagicPacket.parseMac("ff:ff:ff:ff:ff:ff")).hasMessageContaining("not the MAC address of a network card");
        assertThatThrownBy(() -> MagicPacket.parseMac(null)).hasMessageContaining("required");
    }
}

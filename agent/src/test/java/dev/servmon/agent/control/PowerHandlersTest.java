package dev.servmon.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PowerHandlersTest {
    @Test
    void the_default_commands_are_the_systems_own() {
        assertThat(PowerHandlers.osCommand("shutdown", "Linux")).containsExactly("systemctl", "poweroff");
        assertThat(PowerHandlers.osCommand("reboot", "Linux")).containsExactly("systemctl", "reboot");
        assertThat(PowerHandlers.osCommand("suspend", "Linux")).containsExactly("systemctl", "--no-block", "suspend");
        assertThat(PowerHandlers.osCommand("shutdown", "Windows Server 2022")).containsExactly("shutdown", "/s", "/t", "0");
        assertThat(PowerHandlers.osCommand("reboot", "Windows 11")).containsExactly("shutdown", "/r", "/t", "0");
        assertThat(PowerHandlers.osCommand("suspend", "Mac OS X")).containsExactly("pmset", "sleepnow");
    }

    @Test
    void a_hook_gets_the_action_and_its_failure_is_the_commands_failure(@TempDir Path dir) throws Exception {
        Path record = dir.resolve("record");
        Path hook = dir.resolve("hook.sh");
        Files.writeString(hook, "#!/bin/sh\necho \"$1\" >> '" + record + "'\n[ \"$1\" != suspend ] || { echo 'no suspend on this box'; exit 3; }\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
        CommandHandlers handlers = new CommandHandlers();
        PowerHandlers.register(handlers, hook);
        assertThat(handlers.types()).containsExactlyInAnyOrder("power.shutdown", "power.reboot", "power.suspend", "wol.relay");

        CommandResult r = handlers.find("power.reboot").orElseThrow().handle(Map.of());
        assertThat(r.ok()).isTrue();
        assertThat(r.message()).isEqualTo("reboot started (" + hook + " reboot)");
        assertThatThrownBy(() -> handlers.find("power.suspend").orElseThrow().handle(Map.of()))
                .hasMessageContaining("exited with status 3: no suspend on this box");
        assertThat(Files.readAllLines(record)).containsExactly("reboot", "suspend");
    }

    @Test
    void a_relayed_wake_sends_the_magic_packet_where_asked() throws Exception {
        CommandHandlers handlers = new CommandHandlers();
        PowerHandlers.register(handlers, null);
        try (DatagramSocket nic = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            nic.setSoTimeout(5_000);
            CommandResult r = handlers.find("wol.relay").orElseThrow()
                    .handle(Map.of("mac", "0a:0b:0c:0d:0e:0f", "broadcast", "127.0.0.1", "port", (long) nic.getLocalPort()));
            assertThat(r.message()).isEqualTo("magic packet for 0a:0b:0c:0d:0e:0f sent to 127.0.0.1:" + nic.getLocalPort());
            byte[] buf = new byte[200];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            nic.receive(p);
            assertThat(p.getLength()).isEqualTo(102);
            assertThat(Arrays.copyOfRange(buf, 0, 6)).containsOnly((byte) 0xFF);
            assertThat(Arrays.copyOfRange(buf, 96, 102)).containsExactly(10, 11, 12, 13, 14, 15);
        }
        assertThatThrownBy(() -> handlers.find("wol.relay").orElseThrow().handle(Map.of("mac", "nope")))
                .hasMessageContaining("not a MAC address");
    }
}

package dev.servmon.agent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-written WebSocket client against a server written out byte by byte in this test,
 * so every frame the hub (Jetty) could send is covered: fragments, pings, close, oversize.
 */
class WebSocketTest {
    private ServerSocket server;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/api/v1/agent");
    }

    /** Accepts one connection, checks the upgrade request, answers it with {@code answer(key)}. */
    private CompletableFuture<Socket> accept(java.util.function.Function<String, String> answer) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Socket s = server.accept();
                String head = readHead(s.getInputStream());
                assertThat(head).startsWith("GET /api/v1/agent HTTP/1.1\r\n").contains("Upgrade: websocket\r\n", "Authorization: Bearer smk_k\r\n");
                String key = WebSocket.header(head, "sec-websocket-key");
                s.getOutputStream().write(answer.apply(key).getBytes(StandardCharsets.ISO_8859_1));
                return s;
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static String switching(String key) {
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                + WebSocket.expectedAccept(key) + "\r\n\r\n";
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            b.write(in.read());
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** An unmasked server frame. */
    private static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            b.write(payload.length);
        } else if (payload.length < 65536) {
            b.write(126);
            b.write(payload.length >> 8);
            b.write(payload.length & 0xFF);
        } else {
            b.write(127);
            for (int i = 7; i >= 0; i--) {
                b.write(i >= 4 ? 0 : (payload.length >> (8 * i)) & 0xFF);
            }
        }
        b.writeBytes(payload);
        return b.toByteArray();
    }

    /** Reads one masked client frame; returns {opcode, payload...}. */
    private static byte[] clientFrame(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int b0 = d.readUnsignedByte();
        int b1 = d.readUnsignedByte();
        assertThat(b1 & 0x80).as("client frames are masked").isEqualTo(0x80);
        int len = b1 & 0x7F;
        if (len == 126) {
            len = d.readUnsignedShort();
        }
        byte[] mask = d.readNBytes(4);
        byte[] p = d.readNBytes(len);
        byte[] out = new byte[len + 1];
        out[0] = (byte) (b0 & 0x0F);
        for (int i = 0; i < len; i++) {
            out[i + 1] = (byte) (p[i] ^ mask[i & 3]);
        }
        return out;
    }

    private WebSocket connect() throws IOException {
        return WebSocket.connect(uri(), "Bearer smk_k", "servmon-agent/test", 2_000, 5_000);
    }

    @Test
    void fragmented_messages_are_joined_pings_answered_and_a_close_ends_receive() throws Exception {
        var accepted = accept(WebSocketTest::switching);
        try (WebSocket ws = connect()) {
            Socket s = accepted.get(5, TimeUnit.SECONDS);
            OutputStream out = s.getOutputStream();
            out.write(frame(false, 1, "{\"id\":\"a\",".getBytes(StandardCharsets.UTF_8)));
            out.write(frame(true, 9, "are you there".getBytes(StandardCharsets.UTF_8)));
            out.write(frame(false, 0, "\"type\":\"x\",".getBytes(StandardCharsets.UTF_8)));
            out.write(frame(true, 0, "\"ü\":1}".getBytes(StandardCharsets.UTF_8)));
            String big = "x".repeat(70_000);
            out.write(frame(true, 2, new byte[] {1, 2, 3}));
            out.write(frame(true, 1, big.getBytes(StandardCharsets.UTF_8)));
            assertThat(ws.receive()).isEqualTo("{\"id\":\"a\",\"type\":\"x\",\"ü\":1}");
            byte[] pong = clientFrame(s.getInputStream());
            assertThat(pong[0]).as("pong").isEqualTo((byte) 10);
            assertThat(new String(pong, 1, pong.length - 1, StandardCharsets.UTF_8)).isEqualTo("are you there");
            assertThat(ws.receive()).as("binary skipped; 64-bit length").isEqualTo(big);

            ws.send("{\"event\":\"ack\"}");
            byte[] text = clientFrame(s.getInputStream());
            assertThat(text[0]).isEqualTo((byte) 1);
            assertThat(new String(text, 1, text.length - 1, StandardCharsets.UTF_8)).isEqualTo("{\"event\":\"ack\"}");
            ws.send("é".repeat(200));
            byte[] longer = clientFrame(s.getInputStream());
            assertThat(new String(longer, 1, longer.length - 1, StandardCharsets.UTF_8)).isEqualTo("é".repeat(200));

            out.write(frame(true, 8, new byte[] {0x0F, (byte) 0xA1, 'b', 'y', 'e'}));
            assertThat(ws.receive()).as("closed by the server").isNull();
            byte[] closeEcho = clientFrame(s.getInputStream());
            assertThat(closeEcho[0]).isEqualTo((byte) 8);
            assertThat(new byte[] {closeEcho[1], closeEcho[2]}).containsExactly(0x0F, 0xA1);
            s.close();
        }
    }

    @Test
    void an_upgrade_answered_without_101_is_refused_with_the_status_and_the_hubs_reason() throws Exception {
        accept(key -> "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/problem+json\r\nContent-Length: 27\r\n\r\n{\"detail\":\"revoked key x\"}\n");
        assertThatThrownBy(this::connect)
                .isInstanceOf(WebSocket.UpgradeRefused.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("revoked key x")
                .satisfies(e -> assertThat(((WebSocket.UpgradeRefused) e).status).isEqualTo(401));
    }

    @Test
    void a_wrong_accept_header_is_not_trusted() throws Exception {
        accept(key -> "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: bm90IGl0\r\n\r\n");
        assertThatThrownBy(this::connect).isInstanceOf(IOException.class).hasMessageContaining("Sec-WebSocket-Accept");
    }

    @Test
    void the_accept_value_matches_the_rfc_example() {
        assertThat(WebSocket.expectedAccept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void a_masked_server_frame_or_an_oversized_message_closes_the_connection() throws Exception {
        var accepted = accept(WebSocketTest::switching);
        try (WebSocket ws = connect()) {
            Socket s = accepted.get(5, TimeUnit.SECONDS);
            s.getOutputStream().write(new byte[] {(byte) 0x81, (byte) 0x81, 1, 2, 3, 4, 'a'});
            assertThatThrownBy(ws::receive).hasMessageContaining("mask");
            byte[] close = clientFrame(s.getInputStream());
            assertThat(close[0]).isEqualTo((byte) 8);
            assertThat(((close[1] & 0xFF) << 8) | (close[2] & 0xFF)).isEqualTo(1002);
        }
        accepted = accept(WebSocketTest::switching);
        try (WebSocket ws = connect()) {
            Socket s = accepted.get(5, TimeUnit.SECONDS);
            byte[] head = {(byte) 0x81, 127, 0, 0, 0, 0, 0, 0x20, 0, 0};
            s.getOutputStream().write(head);
            assertThatThrownBy(ws::receive).hasMessageContaining("larger than " + WebSocket.MAX_MESSAGE_BYTES);
            byte[] close = clientFrame(s.getInputStream());
            assertThat(((close[1] & 0xFF) << 8) | (close[2] & 0xFF)).isEqualTo(1009);
        }
    }
}

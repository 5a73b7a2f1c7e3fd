package dev.servmon.hub.checks;

import dev.servmon.protocol.checks.Probing;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/** TCP checks: UP when a connection to host:port is accepted within the timeout. */
final class TcpProbe implements Probe {
    @Override
    public Outcome run(Check check) {
        var s = check.settings();
        return connect(s.host(), s.port(), check.timeoutSeconds() * 1000);
    }

    /** Opens and closes one connection; also the ping fallback's measure. */
    static Outcome connect(String host, int port, int timeoutMs) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMs);
            return Outcome.up(Probing.msSince(start), null, "connected to " + HostPort.format(host, port));
        } catch (UnknownHostException e) {
            return Outcome.down(null, "unknown host " + host);
        } catch (SocketTimeoutException e) {
            return Outcome.down(Probing.msSince(start), "no connection within " + timeoutMs / 1000 + " s");
        } catch (ConnectException e) {
            return Outcome.down(Probing.msSince(start), "connection refused by " + HostPort.format(host, port));
        } catch (IOException | IllegalArgumentException e) {
            return Outcome.down(Probing.msSince(start), "connect failed: " + Probing.rootMessage(e));
        }
    }
}

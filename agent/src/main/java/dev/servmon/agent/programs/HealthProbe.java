package dev.servmon.agent.programs;

import dev.servmon.protocol.ProgramSpec.HealthCheck;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/** Runs one health check: a TCP connect, an HTTP GET answered 2xx/3xx, or a command exiting 0. */
final class HealthProbe {
    private HealthProbe() {}

    /** Null when the check passes; otherwise why it failed, in a few words. */
    static String run(HealthCheck check) {
        int timeoutMs = (int) Math.max(1, Math.round(check.timeoutSeconds() * 1000));
        try {
            return switch (check.type()) {
                case "tcp" -> tcp(check.host(), check.port(), timeoutMs);
                case "http" -> http(check.url(), timeoutMs);
                default -> command(check, timeoutMs);
            };
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String tcp(String host, int port, int timeoutMs) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            return null;
        }
    }

    private static String http(String url, int timeoutMs) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(timeoutMs);
        c.setReadTimeout(timeoutMs);
        c.setInstanceFollowRedirects(false);
        c.setRequestProperty("User-Agent", "servmon-agent health check");
        try {
            int status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                if (in != null) {
                    in.readNBytes(64 * 1024); // drained so the connection can be reused
                }
            }
            return status >= 200 && status < 400 ? null : "HTTP " + status;
        } finally {
            c.disconnect();
        }
    }

    private static String command(HealthCheck check, int timeoutMs) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(check.command())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                return "no answer within " + timeoutMs + " ms";
            }
            return p.exitValue() == 0 ? null : "exit status " + p.exitValue();
        } finally {
            p.destroyForcibly();
        }
    }
}

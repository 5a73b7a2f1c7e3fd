package dev.servmon.agent.checks;

import dev.servmon.agent.collect.Command;
import dev.servmon.protocol.checks.Probing;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Command checks: the hub's operator gives a command line, run here by the system shell
 * ({@code /bin/sh -c}, {@code cmd.exe /c} on Windows) as the agent's own user. Exit status 0 is
 * UP; the first line of its output is the message, and the value when it is a number (so
 * {@code ls /backups | wc -l} charts a count). Killed, with what it started, at the timeout.
 */
final class CommandProbe {
    private CommandProbe() {}

    static ProbeResult run(String commandLine, int timeoutSeconds, String osName) throws InterruptedException {
        List<String> argv = osName.toLowerCase(Locale.ROOT).startsWith("windows")
                ? List.of("cmd.exe", "/c", commandLine) : List.of("/bin/sh", "-c", commandLine);
        long start = System.nanoTime();
        Command.Finished done;
        try {
            done = Command.execute(argv, Duration.ofSeconds(timeoutSeconds));
        } catch (IOException e) {
            return ProbeResult.down(Probing.msSince(start), e.getMessage());
        }
        double ms = Probing.msSince(start);
        String first = firstLine(done.output());
        Double value = number(first);
        if (done.exitStatus() == 0) {
            return ProbeResult.up(ms, first.isEmpty() ? "exit status 0" : first).withValue(value);
        }
        String said = first.isEmpty() ? firstLine(done.errors()) : first;
        return ProbeResult.down(ms, "exit status " + done.exitStatus() + (said.isEmpty() ? "" : ": " + said)).withValue(value);
    }

    /** The first line that is not blank, stripped; empty when there is none. */
    static String firstLine(String text) {
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            String line = (nl < 0 ? text.substring(from) : text.substring(from, nl)).strip();
            if (!line.isEmpty()) {
                return line;
            }
            if (nl < 0) {
                break;
            }
            from = nl + 1;
        }
        return "";
    }

    /** {@code 42}, {@code -1.5}: the line as a finite number, else null. */
    static Double number(String line) {
        if (line.isEmpty() || line.length() > 32) {
            return null;
        }
        char c = line.charAt(0);
        if (!(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.')) {
            return null; // not NaN, Infinity or hex floats
        }
        try {
            double d = Double.parseDouble(line);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

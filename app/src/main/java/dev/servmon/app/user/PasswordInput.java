package dev.servmon.app.user;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a new password without it ever being a command-line argument (those show in {@code ps}
 * and shell history): typed twice at the terminal, or the first line of standard input.
 */
final class PasswordInput {
    private PasswordInput() {}

    static String read(String command, String username, boolean fromStdin, InputStream stdin, Console console) {
        if (fromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new IllegalArgumentException("servmon " + command + ": --password-stdin got no password; pipe it in, e.g. "
                            + "printf '%s\\n' \"$PASSWORD\" | servmon " + command + " … --password-stdin");
                }
                return line;
            } catch (IOException e) {
                throw new UncheckedIOException("servmon " + command + ": cannot read the password from standard input: " + e.getMessage(), e);
            }
        }
        if (console == null) {
            throw new IllegalArgumentException("servmon " + command + ": no terminal to ask for the password; pipe it in with --password-stdin");
        }
        char[] first = console.readPassword("New password for %s: ", username);
        char[] again = console.readPassword("Same password again: ");
        try {
            if (first == null || again == null || !Arrays.equals(first, again)) {
                throw new IllegalArgumentException("servmon " + command + ": the two passwords differ; nothing was changed");
            }
            return new String(first);
        } finally {
            if (first != null) {
                Arrays.fill(first, ' ');
            }
            if (again != null) {
                Arrays.fill(again, ' ');
            }
        }
    }
}

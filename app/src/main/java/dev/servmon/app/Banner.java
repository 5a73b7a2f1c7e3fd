package dev.servmon.app;

import java.nio.file.Path;

/** What the CLI prints for people. */
final class Banner {
    private Banner() {}

    static String url(String bind, int port) {
        String host = bind == null || bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port + "/";
    }

    static void firstAdmin(String password, Path data) {
        System.out.println();
        System.out.println("  ┌──────────────────────────────────────────────────────────────┐");
        System.out.println("  │ First start: created user 'admin' with password              │");
        System.out.printf("  │     %-56s │%n", password);
        System.out.println("  │ It is shown only this once. Store it now.                    │");
        System.out.println("  └──────────────────────────────────────────────────────────────┘");
        System.out.println("  (data directory: " + data.toAbsolutePath().normalize() + ")");
        System.out.println();
    }
}

package dev.servmon.app;

import java.nio.file.Path;

/** What the CLI prints for people. */
final class Banner {
    private Banner() {}

    static String url(String bind, int port) {
        return url(bind, port, false);
    }

    /** The URL people (or the demo's agent) reach a port at; https when the hub serves TLS. */
    static String url(String bind, int port, boolean https) {
        String host = bind == null || bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return (https ? "https://" : "http://") + host + ":" + port + "/";
    }

    /** Where agents find the certificate of a hub that made its own. */
    static void selfSignedCertificate(Path caFile) {
        System.out.println("  tls:       self-signed certificate " + caFile.toAbsolutePath().normalize());
        System.out.println("             agents: --ca-file with a copy of it (the install command fetches and pins it)");
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

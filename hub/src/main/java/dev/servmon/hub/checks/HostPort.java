package dev.servmon.hub.checks;

/** {@code host:port} with IPv6 literals in brackets, parsed and formatted. */
record HostPort(String host, int port) {

    static String format(String host, Integer port) {
        if (host == null) {
            return null;
        }
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return port == null ? h : h + ":" + port;
    }

    /**
     * Parses {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}; a bare IPv6
     * literal without brackets is taken whole. Throws IllegalArgumentException naming {@code field}.
     */
    static HostPort parse(String field, String text, int defaultPort) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException(field + " must name a host");
        }
        String host = t;
        int port = defaultPort;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(field + " has an unclosed '[': " + t);
            }
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException(field + " must look like [2001:db8::1]:53, got " + t);
                }
                port = port(field, rest.substring(1));
            }
        } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            host = t.substring(0, t.indexOf(':'));
            port = port(field, t.substring(t.indexOf(':') + 1));
        }
        CheckValidator.hostName(field, host);
        return new HostPort(host, port);
    }

    private static int port(String field, String raw) {
        try {
            int p = Integer.parseInt(raw);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(field + " has a bad port '" + raw + "'; use 1 to 65535");
    }
}

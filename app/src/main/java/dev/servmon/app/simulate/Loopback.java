package dev.servmon.app.simulate;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The simulator only talks to a hub on this machine: it sends thousands of made-up hosts' reports
 * as fast as asked, which against someone else's hub is a flood, not a test.
 */
final class Loopback {
    private Loopback() {}

    /**
     * {@code url} as a URI when it is an http(s) URL whose host resolves to loopback addresses
     * only (localhost, 127.0.0.0/8, ::1).
     *
     * @throws IllegalArgumentException naming {@code flag} and what to do otherwise
     */
    static URI require(String flag, String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("servmon simulate: " + flag + " must be an http:// URL like http://127.0.0.1:8081, got '" + url
                    + "' (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("servmon simulate: " + flag + " must be an http:// URL like http://127.0.0.1:8081, got '" + url + "'");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("servmon simulate: cannot resolve the host of " + flag + " " + url + ": " + e.getMessage());
        }
        if (!Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress)) {
            throw new IllegalArgumentException("servmon simulate: " + flag + " must point at this machine (localhost, 127.0.0.1 or [::1]), got "
                    + url + " (" + Arrays.stream(addresses).map(InetAddress::getHostAddress).toList() + "). The simulator floods a hub with "
                    + "made-up hosts; it is for load tests of a hub you run here. To test a remote hub, run the simulator on that machine.");
        }
        return uri;
    }
}

package dev.servmon.hub.alerts;

import java.util.List;
import java.util.Set;

/**
 * Which hosts a rule or maintenance window covers: all of them, a list of hosts, or the hosts
 * carrying a tag ({@link HostGroups}).
 */
public record Scope(Kind kind, List<Long> hostIds, String tag) {
    /** {@code all}, {@code hosts} or {@code tag}, as stored and sent. */
    public enum Kind { ALL, HOSTS, TAG }

    public static final Scope ALL = new Scope(Kind.ALL, List.of(), null);
    public static final int MAX_TAG_LENGTH = 64;

    public Scope {
        if (kind == null) {
            throw new IllegalArgumentException("scope.kind must be all, hosts or tag");
        }
        hostIds = hostIds == null ? List.of() : List.copyOf(hostIds);
        if (kind == Kind.HOSTS && hostIds.isEmpty()) {
            throw new IllegalArgumentException("scope 'hosts' needs at least one host id in scope.hostIds");
        }
        if (kind == Kind.TAG && (tag == null || tag.isBlank() || tag.length() > MAX_TAG_LENGTH)) {
            throw new IllegalArgumentException("scope 'tag' needs scope.tag, 1 to " + MAX_TAG_LENGTH + " characters");
        }
        if (kind != Kind.TAG) {
            tag = null;
        }
        if (kind != Kind.HOSTS) {
            hostIds = List.of();
        }
    }

    /** Whether {@code hostId} is in scope; {@code tagged} resolves a tag to its hosts. */
    public boolean covers(long hostId, HostGroups tagged) {
        return switch (kind) {
            case ALL -> true;
            case HOSTS -> hostIds.contains(hostId);
            case TAG -> tagged.hostsTagged(tag).contains(hostId);
        };
    }

    /** As {@link #covers(long, HostGroups)} with the tag's hosts already looked up. */
    public boolean covers(long hostId, Set<Long> taggedHosts) {
        return switch (kind) {
            case ALL -> true;
            case HOSTS -> hostIds.contains(hostId);
            case TAG -> taggedHosts.contains(hostId);
        };
    }
}

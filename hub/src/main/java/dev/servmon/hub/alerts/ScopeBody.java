package dev.servmon.hub.alerts;

import java.util.List;
import java.util.Locale;

/** A {@link Scope} as JSON: {@code {"kind": "all" | "hosts" | "tag", "hostIds": [..], "tag": ".."}}. */
public record ScopeBody(String kind, List<Long> hostIds, String tag) {

    static ScopeBody of(Scope s) {
        return new ScopeBody(s.kind().name().toLowerCase(Locale.ROOT), s.hostIds(), s.tag());
    }

    /** The scope; null or a missing kind means all hosts. IllegalArgumentException when it is not valid. */
    static Scope toScope(ScopeBody b) {
        if (b == null || b.kind() == null) {
            return Scope.ALL;
        }
        Scope.Kind kind;
        try {
            kind = Scope.Kind.valueOf(b.kind().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scope.kind must be all, hosts or tag, got '" + b.kind() + "'");
        }
        if (b.hostIds() != null && b.hostIds().size() > 1_000) {
            throw new IllegalArgumentException("scope.hostIds lists more than 1000 hosts; use a tag");
        }
        return new Scope(kind, b.hostIds(), b.tag() == null ? null : b.tag().strip());
    }
}

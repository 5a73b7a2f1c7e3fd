package dev.servmon.hub.hosts;

import dev.servmon.hub.api.ApiException;
import dev.servmon.hub.auth.AuthHandlers;
import dev.servmon.hub.auth.Principal;
import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/**
 * Limits a scoped user (one with host tags, see {@code Users.User#scope}) to the hosts carrying
 * one of their tags. {@link #check} runs before every {@code /api/v1/hosts/{id}} route, including
 * those added later, and answers 404 for a host outside the scope, exactly as for a host that
 * does not exist, so a scoped user cannot even learn which ids are taken.
 */
public final class HostScope {
    private final HostTags tags;

    public HostScope(HostTags tags) {
        this.tags = tags;
    }

    /** Before-handler of {@code /api/v1/hosts/{id}} and everything below it. */
    public void check(Context ctx) {
        Principal p = AuthHandlers.callerOrNull(ctx);
        if (p == null || p.scope().isEmpty()) {
            return;
        }
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            return; // the route answers 400 for a malformed id
        }
        if (!allows(p.scope(), id)) {
            throw ApiException.notFound("no host with id " + id);
        }
    }

    /** Whether a caller limited to {@code scope} (empty: unlimited) may see the host. */
    public boolean allows(Set<String> scope, long hostId) {
        return scope.isEmpty() || Tags.within(scope, tags.of(hostId));
    }

    /** The hosts of {@code all} a caller limited to {@code scope} may see. */
    public List<HostView> visible(Set<String> scope, List<HostView> all) {
        if (scope.isEmpty()) {
            return all;
        }
        Set<Long> ids = tags.hostsWithAny(scope);
        return all.stream().filter(h -> ids.contains(h.id())).toList();
    }
}

package dev.servmon.hub.alerts;

import java.util.Set;

/**
 * Host groups as alerting sees them: the hosts carrying a tag. Rules and maintenance windows may
 * be scoped to a tag; this is how they find its hosts. {@link TagTable} reads the
 * {@code host_tags(host_id, tag)} table of the accounts feature and finds nothing while that
 * table does not exist.
 */
public interface HostGroups {
    /** The ids of the hosts tagged {@code tag}; empty when none are (or tags do not exist). */
    Set<Long> hostsTagged(String tag);

    /** No tags at all. */
    HostGroups NONE = tag -> Set.of();
}

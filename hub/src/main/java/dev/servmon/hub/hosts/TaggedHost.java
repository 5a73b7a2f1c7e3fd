package dev.servmon.hub.hosts;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/**
 * A host with its tags, as the hosts API and the live stream's {@code host} events show it: the
 * dashboard replaces its copy of a host with each event, so an event without the tags would
 * drop them from the cards and from tag filters until the next reload.
 */
public record TaggedHost(@JsonUnwrapped HostView host, List<String> tags) {}

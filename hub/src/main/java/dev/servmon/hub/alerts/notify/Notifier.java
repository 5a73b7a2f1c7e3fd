package dev.servmon.hub.alerts.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stored notification channel.
 *
 * @param config the type's settings, secrets included ({@link NotifierConfig} checks them)
 * @param titleTemplate overrides the default title ({@link Templates}); null for the default
 * @param bodyTemplate overrides the default body; null for the default
 */
public record Notifier(long id, String name, NotifierType type, ObjectNode config, String titleTemplate, String bodyTemplate,
                       long createdAtMs, long updatedAtMs) {}

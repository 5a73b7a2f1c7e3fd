package dev.servmon.hub.auth;

import java.util.Locale;

/**
 * What a user may do. Roles are ordered: every role may do what the ones below it may.
 * <ul>
 *   <li>{@link #VIEWER}: read everything, change nothing (except their own password and session);
 *   <li>{@link #OPERATOR}: act on hosts: programs, power, checks, alerts, host add/rename/delete;
 *   <li>{@link #ADMIN}: everything, including users, tokens of others and the audit log.
 * </ul>
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    /** The name stored in the database and shown in the API ({@code viewer}, {@code operator}, {@code admin}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when this role may do what {@code required} may. */
    public boolean atLeast(Role required) {
        return ordinal() >= required.ordinal();
    }

    /** The role with this label; {@link IllegalArgumentException} naming the choices otherwise. */
    public static Role of(String label) {
        if (label != null) {
            for (Role r : values()) {
                if (r.label().equals(label)) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("role must be one of viewer, operator, admin; got " + label);
    }
}

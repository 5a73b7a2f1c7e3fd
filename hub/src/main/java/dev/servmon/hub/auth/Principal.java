package dev.servmon.hub.auth;

/**
 * Who is making an API request and with what rights: a signed-in user (session cookie) or an
 * API token acting for a user. {@code role} is the effective role: for a token, the token's
 * role, which is never higher than its user's.
 *
 * @param tokenId the API token's id, or null for a session
 */
public record Principal(Users.User user, Role role, Long tokenId) {
    public boolean viaToken() {
        return tokenId != null;
    }

    /** The host tags this caller is limited to; empty: every host. */
    public java.util.Set<String> scope() {
        return user.scope();
    }
}

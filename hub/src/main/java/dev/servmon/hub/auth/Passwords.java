package dev.servmon.hub.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** Password hashing (bcrypt, cost 12) and generation. */
public final class Passwords {
    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 72; // bcrypt reads at most 72 bytes
    private static final int COST = 12;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    /** Verified against when the user does not exist, so timing does not reveal usernames. */
    private static final String DUMMY_HASH = hash("not-a-real-password-" + System.nanoTime());

    private Passwords() {}

    public static String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    public static boolean verify(String password, String hash) {
        if (password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            BCrypt.verifyer().verify(new char[0], DUMMY_HASH.toCharArray());
            return false;
        }
        return BCrypt.verifyer().verify(password.toCharArray(), (hash == null ? DUMMY_HASH : hash).toCharArray()).verified && hash != null;
    }

    /** Why a password is not acceptable, or null when it is. */
    public static String problemWith(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "password must be at least " + MIN_LENGTH + " characters";
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            return "password must be at most " + MAX_LENGTH + " bytes";
        }
        return null;
    }

    /** A random password of 20 characters from an unambiguous alphabet (~115 bits). */
    public static String generate() {
        StringBuilder sb = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}

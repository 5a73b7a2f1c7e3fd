package dev.servmon.hub.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Password hashing (bcrypt, cost 12), the password policy (at least {@value #MIN_LENGTH}
 * characters, not one of the ~1,000 most common passwords whatever its case) and generation.
 */
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
        return problemWith(password, null);
    }

    /** Why a password is not acceptable for this user, or null when it is. */
    public static String problemWith(String password, String username) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "password must be at least " + MIN_LENGTH + " characters";
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            return "password must be at most " + MAX_LENGTH + " bytes";
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (Common.PASSWORDS.contains(lower)) {
            return "password is one of the most common passwords; choose another";
        }
        if (username != null && lower.equals(username.toLowerCase(Locale.ROOT))) {
            return "password must not be the username";
        }
        return null;
    }

    /** The common-password list, loaded the first time a password is checked. */
    private static final class Common {
        static final String RESOURCE = "common-passwords.txt";
        static final Set<String> PASSWORDS = load();

        private static Set<String> load() {
            try (InputStream in = Passwords.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("servmon: " + RESOURCE + " is missing from the hub's classpath (dev/servmon/hub/auth/)");
                }
                Set<String> set = new HashSet<>(2_048);
                var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (!line.isEmpty() && !line.startsWith("#")) {
                        set.add(line.toLowerCase(Locale.ROOT));
                    }
                }
                return Set.copyOf(set);
            } catch (IOException e) {
                throw new UncheckedIOException("servmon: cannot read " + RESOURCE, e);
            }
        }
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

package org.reid.core.util;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as the project stores it: lowercase hex. The one place that names the algorithm, so
 * model artifacts, gallery crops, API keys and dataset fingerprints cannot drift apart.
 */
public final class Sha256 {
    private Sha256() {}

    /** Lowercase hex SHA-256 of the concatenated {@code parts}. */
    public static String hex(byte[]... parts) {
        MessageDigest digest = newDigest();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return hex(digest);
    }

    /** A fresh digest, for input that arrives in pieces; finish it with {@link #hex(MessageDigest)}. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Completes {@code digest} and returns its value as lowercase hex. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}

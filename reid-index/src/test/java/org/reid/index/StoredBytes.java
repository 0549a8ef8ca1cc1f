package org.reid.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;

/**
 * Looks for a vector's bytes in an index's files, for the erasure tests of both backends (a
 * deleted vector must leave no file). Public, in reid-index's test-jar, for reid-index-solr and
 * the service's erasure tests.
 */
public final class StoredBytes {
    private StoredBytes() {}

    /** The floats as Lucene stores them: 4 little-endian bytes each. */
    public static byte[] littleEndian(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    /** Whether a file that still exists holds the needle's first 32 bytes (8 floats: no other vector shares them by chance). */
    public static boolean anyFileContains(Collection<Path> files, byte[] needle) throws IOException {
        byte[] head = Arrays.copyOf(needle, 32);
        for (Path file : files) {
            if (Files.exists(file) && indexOf(Files.readAllBytes(file), head) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Where {@code needle} first stands in {@code hay}, or -1. */
    public static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

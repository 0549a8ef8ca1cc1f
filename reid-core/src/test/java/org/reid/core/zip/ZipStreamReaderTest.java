package org.reid.core.zip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** Small generated zip bombs against small limits: each limit stops the read while it inflates. */
class ZipStreamReaderTest {
    private static final ZipLimits LIMITS = new ZipLimits(256 * 1024, 1024 * 1024, 10, 20);

    /** A zip of {@code count} entries of {@code size} bytes each, zeros or random (incompressible). */
    private static byte[] zip(int count, int size, boolean zeros) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Random random = new Random(count * 31L + size);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < count; i++) {
                zip.putNextEntry(new ZipEntry("e" + i));
                byte[] b = new byte[size];
                if (!zeros) {
                    random.nextBytes(b);
                }
                zip.write(b);
            }
        }
        return out.toByteArray();
    }

    private static List<byte[]> readAll(byte[] zip, ZipLimits limits) throws IOException {
        List<byte[]> entries = new ArrayList<>();
        try (ZipStreamReader r = new ZipStreamReader(new ByteArrayInputStream(zip), limits)) {
            while (r.next() != null) {
                entries.add(r.read());
            }
        }
        return entries;
    }

    private static ZipLimitException.Limit broken(byte[] zip, ZipLimits limits) {
        try {
            readAll(zip, limits);
        } catch (ZipLimitException e) {
            return e.limit();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return null;
    }

    @Test
    void aZipWithinTheLimitsIsReadWhole() throws IOException {
        List<byte[]> entries = readAll(zip(4, 200 * 1024, false), LIMITS);
        assertThat(entries).hasSize(4).allSatisfy(e -> assertThat(e).hasSize(200 * 1024));
    }

    @Test
    void eachLimitStopsItsBomb() throws IOException {
        ZipLimits noRatio = new ZipLimits(256 * 1024, 1024 * 1024, 10, Integer.MAX_VALUE);
        assertThat(broken(zip(1, 300 * 1024, false), LIMITS)).isEqualTo(ZipLimitException.Limit.ENTRY_BYTES);
        assertThat(broken(zip(6, 200 * 1024, false), LIMITS)).isEqualTo(ZipLimitException.Limit.TOTAL_BYTES);
        assertThat(broken(zip(11, 10, false), LIMITS)).isEqualTo(ZipLimitException.Limit.ENTRIES);
        // 200 kB of zeros deflates to a few hundred bytes: a ratio far beyond 20
        assertThat(broken(zip(1, 200 * 1024, true), LIMITS)).isEqualTo(ZipLimitException.Limit.COMPRESSION_RATIO);
        assertThat(broken(zip(1, 200 * 1024, true), noRatio)).isNull();
    }

    @Test
    void entriesSkippedUnreadAreCountedToo() throws IOException {
        // a reader that skips entries (directories, hidden files) still inflates them to reach the next
        byte[] bomb = zip(6, 200 * 1024, false);
        assertThatThrownBy(() -> {
            try (ZipStreamReader r = new ZipStreamReader(new ByteArrayInputStream(bomb), LIMITS)) {
                while (r.next() != null) {
                    // never read
                }
            }
        }).isInstanceOf(ZipLimitException.class).hasMessageContaining("more than 1048576 bytes");
    }
}

package org.reid.benchmarks.load;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes PostgreSQL's binary COPY format (header, tuples, trailer), so that bytea columns go over
 * the wire as raw bytes instead of hex text. Field encodings follow the server's binary send
 * functions: int4/int8 big-endian, text as UTF-8, timestamptz as microseconds since 2000-01-01 UTC.
 */
final class PgBinaryCopy implements AutoCloseable {
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    private final DataOutputStream out;

    PgBinaryCopy(OutputStream sink) throws IOException {
        out = new DataOutputStream(new BufferedOutputStream(sink, 1 << 20));
        out.write(SIGNATURE);
        out.writeInt(0); // flags
        out.writeInt(0); // header extension length
    }

    PgBinaryCopy row(int fields) throws IOException {
        out.writeShort(fields);
        return this;
    }

    PgBinaryCopy int4(int v) throws IOException {
        out.writeInt(4);
        out.writeInt(v);
        return this;
    }

    PgBinaryCopy int8(long v) throws IOException {
        out.writeInt(8);
        out.writeLong(v);
        return this;
    }

    PgBinaryCopy text(String v) throws IOException {
        return bytes(v.getBytes(StandardCharsets.UTF_8));
    }

    PgBinaryCopy bytes(byte[] v) throws IOException {
        out.writeInt(v.length);
        out.write(v);
        return this;
    }

    PgBinaryCopy timestamptz(Instant t) throws IOException {
        long micros = (t.getEpochSecond() - PG_EPOCH_SECONDS) * 1_000_000L + t.getNano() / 1_000;
        return int8(micros);
    }

    @Override
    public void close() throws IOException {
        out.writeShort(-1);
        out.close();
    }
}

package org.reid.benchmarks.search;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file both the Java and the Python side read: int32 rows, int32 columns, then rows x columns
 * values, all little-endian (float32 for vectors, int32 for ground-truth ids). numpy reads it with
 * {@code np.fromfile(path, "<f4", offset=8)}.
 */
final class VectorFile implements AutoCloseable {

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);

    private VectorFile(FileChannel channel) {
        this.channel = channel;
    }

    static VectorFile create(Path path, int rows, int cols) throws IOException {
        VectorFile f = new VectorFile(FileChannel.open(path, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
        f.buffer.putInt(rows).putInt(cols);
        return f;
    }

    void write(float[] row) throws IOException {
        for (float x : row) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            buffer.putFloat(x);
        }
    }

    void write(int[] row) throws IOException {
        for (int x : row) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            buffer.putInt(x);
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        flush();
        channel.close();
    }

    /** Streams a float32 matrix row by row. */
    interface RowConsumer {
        void accept(int row, float[] values) throws IOException;
    }

    static int[] shape(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path)) {
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining() && ch.read(head) >= 0) {
                // fill
            }
            head.flip();
            return new int[] {head.getInt(), head.getInt()};
        }
    }

    static void readRows(Path path, int maxRows, RowConsumer consumer) throws IOException {
        int[] shape = shape(path);
        int rows = Math.min(shape[0], maxRows);
        int cols = shape[1];
        try (FileChannel ch = FileChannel.open(path)) {
            ch.position(8);
            ByteBuffer buf = ByteBuffer.allocateDirect(cols * 4 * 1024).order(ByteOrder.LITTLE_ENDIAN);
            float[] row = new float[cols];
            int r = 0;
            while (r < rows) {
                buf.clear();
                int want = Math.min(1024, rows - r) * cols * 4;
                buf.limit(want);
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        throw new IOException(path + " ends before row " + r);
                    }
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    buf.asFloatBuffer().get(row);
                    buf.position(buf.position() + cols * 4);
                    consumer.accept(r++, row);
                }
            }
        }
    }

    static float[][] readAll(Path path, int maxRows) throws IOException {
        int[] shape = shape(path);
        float[][] all = new float[Math.min(shape[0], maxRows)][];
        readRows(path, maxRows, (r, v) -> all[r] = v.clone());
        return all;
    }
}

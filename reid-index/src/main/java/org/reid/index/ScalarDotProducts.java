package org.reid.index;

/**
 * Plain Java dot products. HotSpot does not vectorise float reductions (it must keep their
 * order), so eight independent accumulators are the best a scalar loop gets: about 2x a naive loop.
 */
final class ScalarDotProducts implements DotProducts {

    @Override
    public void dotRows(float[] query, float[] block, int rows, int dim, float[] out) {
        for (int r = 0; r < rows; r++) {
            out[r] = dot(query, block, r * dim, dim);
        }
    }

    @Override
    public float dot(float[] query, float[] block, int offset, int dim) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 8 <= dim; i += 8) {
            int o = offset + i;
            s0 += query[i] * block[o];
            s1 += query[i + 1] * block[o + 1];
            s2 += query[i + 2] * block[o + 2];
            s3 += query[i + 3] * block[o + 3];
            s4 += query[i + 4] * block[o + 4];
            s5 += query[i + 5] * block[o + 5];
            s6 += query[i + 6] * block[o + 6];
            s7 += query[i + 7] * block[o + 7];
        }
        float sum = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        for (; i < dim; i++) {
            sum += query[i] * block[offset + i];
        }
        return sum;
    }

    @Override
    public int dot(byte[] a, byte[] b) {
        return bytes(a, b);
    }

    static int bytes(byte[] a, byte[] b) {
        int sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Override
    public String name() {
        return "scalar";
    }
}

package org.reid.index;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products with {@code jdk.incubator.vector} (AVX2/AVX-512 FMAs). The only class that names
 * the Vector API: {@link DotProducts#best()} loads it by reflection when the module is present.
 * Four rows share each query load, so the loop streams the gallery at memory bandwidth.
 */
final class SimdDotProducts implements DotProducts {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    // Bytes are widened to ints, 8 a step in 256-bit registers, two steps an iteration. Where the
    // preferred width is narrower (no AVX2) the shapes would be emulated, slower than the scalar
    // loop, so that loop is used there.
    private static final boolean WIDE_INTS = IntVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    private static final VectorSpecies<Byte> BYTES_64 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Integer> INTS_256 = IntVector.SPECIES_256;

    @Override
    public void dotRows(float[] query, float[] block, int rows, int dim, float[] out) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            dot4(query, block, r * dim, dim, out, r);
        }
        for (; r < rows; r++) {
            out[r] = dot(query, block, r * dim, dim);
        }
    }

    private static void dot4(float[] q, float[] b, int o0, int dim, float[] out, int r) {
        int o1 = o0 + dim, o2 = o1 + dim, o3 = o2 + dim;
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = FloatVector.zero(SPECIES);
        FloatVector a2 = FloatVector.zero(SPECIES);
        FloatVector a3 = FloatVector.zero(SPECIES);
        int step = SPECIES.length();
        int bound = SPECIES.loopBound(dim);
        int i = 0;
        for (; i < bound; i += step) {
            FloatVector qv = FloatVector.fromArray(SPECIES, q, i);
            a0 = FloatVector.fromArray(SPECIES, b, o0 + i).fma(qv, a0);
            a1 = FloatVector.fromArray(SPECIES, b, o1 + i).fma(qv, a1);
            a2 = FloatVector.fromArray(SPECIES, b, o2 + i).fma(qv, a2);
            a3 = FloatVector.fromArray(SPECIES, b, o3 + i).fma(qv, a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD);
        float s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD);
        float s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float qi = q[i];
            s0 += qi * b[o0 + i];
            s1 += qi * b[o1 + i];
            s2 += qi * b[o2 + i];
            s3 += qi * b[o3 + i];
        }
        out[r] = s0;
        out[r + 1] = s1;
        out[r + 2] = s2;
        out[r + 3] = s3;
    }

    @Override
    public float dot(float[] query, float[] block, int offset, int dim) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int step = SPECIES.length();
        int bound = SPECIES.loopBound(dim);
        int i = 0;
        for (; i < bound; i += step) {
            acc = FloatVector.fromArray(SPECIES, block, offset + i).fma(FloatVector.fromArray(SPECIES, query, i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            sum += query[i] * block[offset + i];
        }
        return sum;
    }

    @Override
    public int dot(byte[] a, byte[] b) {
        if (!WIDE_INTS) {
            return ScalarDotProducts.bytes(a, b);
        }
        IntVector acc0 = IntVector.zero(INTS_256);
        IntVector acc1 = IntVector.zero(INTS_256);
        int i = 0;
        for (; i + 16 <= a.length; i += 16) {
            acc0 = acc0.add(ints(a, i).mul(ints(b, i)));
            acc1 = acc1.add(ints(a, i + 8).mul(ints(b, i + 8)));
        }
        for (; i + 8 <= a.length; i += 8) {
            acc0 = acc0.add(ints(a, i).mul(ints(b, i)));
        }
        int sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static IntVector ints(byte[] v, int offset) {
        return (IntVector) ByteVector.fromArray(BYTES_64, v, offset).convertShape(VectorOperators.B2I, INTS_256, 0);
    }

    @Override
    public String name() {
        return "simd-" + SPECIES.vectorBitSize() + "bit";
    }
}

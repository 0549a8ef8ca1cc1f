package org.reid.index;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products with {@code jdk.incubator.vector} (AVX2/AVX-512 FMAs). The only class that names
 * the Vector API: {@link DotProducts#best()} loads it by reflection when the module is present.
 * Four rows share each query load, so the loop streams the gallery at memory bandwidth.
 */
final class SimdDotProducts implements DotProducts {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    // Bytes are widened to shorts, multiplied, and widened again to ints: 16 bytes a step in
    // 256-bit registers. Where the preferred width is narrower (no AVX2) the shapes would be
    // emulated, slower than the scalar loop, so that loop is used there.
    private static final boolean WIDE_INTS = IntVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    private static final VectorSpecies<Byte> BYTES_128 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Short> SHORTS_256 = ShortVector.SPECIES_256;
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
        IntVector acc = IntVector.zero(INTS_256);
        int i = 0;
        for (; i + 16 <= a.length; i += 16) {
            ShortVector sa = (ShortVector) ByteVector.fromArray(BYTES_128, a, i).convertShape(VectorOperators.B2S, SHORTS_256, 0);
            ShortVector sb = (ShortVector) ByteVector.fromArray(BYTES_128, b, i).convertShape(VectorOperators.B2S, SHORTS_256, 0);
            ShortVector products = sa.mul(sb); // |byte x byte| <= 16,384: no short overflows
            acc = acc.add(products.convertShape(VectorOperators.S2I, INTS_256, 0))
                    .add(products.convertShape(VectorOperators.S2I, INTS_256, 1));
        }
        int sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Override
    public String name() {
        return "simd-" + SPECIES.vectorBitSize() + "bit";
    }
}

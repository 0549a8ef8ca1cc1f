package org.reid.index;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products with {@code jdk.incubator.vector} (AVX2/AVX-512 FMAs). The only class that names
 * the Vector API: {@link DotProducts#best()} loads it by reflection when the module is present.
 * Four rows share each query load, so the loop streams the gallery at memory bandwidth.
 */
final class SimdDotProducts implements DotProducts {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

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
    public String name() {
        return "simd-" + SPECIES.vectorBitSize() + "bit";
    }
}

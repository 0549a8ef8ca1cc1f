package org.reid.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The identity labels of a batch, validated against the embeddings, with the pair masks most
 * losses need. Labels live on the host (they are small and usually come from there); masks are
 * created on the embeddings' device in the embeddings' data type.
 */
public final class BatchLabels {

    /** What a loss needs from a batch. */
    public enum Requirement {
        /** Any labelled batch (classification losses, proxies). */
        ANY,
        /** At least one same-identity pair and two identities (pair and triplet losses). */
        POSITIVE_AND_NEGATIVE_PAIRS
    }

    private final long[] ids;
    private final NDArray embeddings;

    private BatchLabels(long[] ids, NDArray embeddings) {
        this.ids = ids;
        this.embeddings = embeddings;
    }

    /**
     * Validates the batch: embeddings {@code [B, D]}, labels {@code [B]} (or {@code [B, 1]}),
     * finite embeddings, and what {@code requirement} asks for.
     */
    public static BatchLabels of(String loss, NDArray labels, NDArray embeddings, Requirement requirement) {
        Shape es = embeddings.getShape();
        if (es.dimension() != 2) {
            throw new IllegalArgumentException(loss + ": embeddings must be [batch, dim], got shape " + es);
        }
        long b = es.get(0);
        Shape ls = labels.getShape();
        boolean labelShapeOk = (ls.dimension() == 1 && ls.get(0) == b)
                || (ls.dimension() == 2 && ls.get(0) == b && ls.get(1) == 1);
        if (!labelShapeOk) {
            throw new IllegalArgumentException(
                    loss + ": labels must be [" + b + "] to match embeddings " + es + ", got shape " + ls);
        }
        if (b == 0) {
            throw new IllegalArgumentException(loss + ": empty batch");
        }
        if (!embeddings.getDataType().isFloating()) {
            throw new IllegalArgumentException(
                    loss + ": embeddings must be floating point, got " + embeddings.getDataType());
        }
        // One boolean crosses to the host: the price of never training on a silent NaN.
        try (NDArray bad = embeddings.isNaN().logicalOr(embeddings.isInfinite()).any()) {
            if (bad.getBoolean()) {
                throw new IllegalArgumentException(loss + ": embeddings contain NaN or infinite values");
            }
        }
        long[] ids = hostIds(labels);
        BatchLabels batch = new BatchLabels(ids, embeddings);
        if (requirement == Requirement.POSITIVE_AND_NEGATIVE_PAIRS) {
            if (batch.distinctIdentities() < 2) {
                throw new IllegalArgumentException(loss + ": the batch holds one identity only (" + ids[0]
                        + "); at least two identities are needed to form negative pairs");
            }
            if (!batch.hasPositivePair()) {
                throw new IllegalArgumentException(loss + ": the batch has no positive pair (every identity "
                        + "appears once); sample K >= 2 crops per identity");
            }
        }
        return batch;
    }

    private static long[] hostIds(NDArray labels) {
        DataType t = labels.getDataType();
        if (t.isFloating()) {
            double[] v = labels.toType(DataType.FLOAT64, false).toDoubleArray();
            long[] out = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                if (v[i] != Math.rint(v[i]) || !Double.isFinite(v[i])) {
                    throw new IllegalArgumentException("labels must be integer identity ids, got " + v[i]);
                }
                out[i] = (long) v[i];
            }
            return out;
        }
        return labels.toType(DataType.INT64, false).toLongArray();
    }

    /** Number of samples. */
    public int size() {
        return ids.length;
    }

    /** The identity of sample {@code i}. */
    public long id(int i) {
        return ids[i];
    }

    /** A copy of the identity ids. */
    public long[] ids() {
        return ids.clone();
    }

    public boolean same(int i, int j) {
        return ids[i] == ids[j];
    }

    public int distinctIdentities() {
        return (int) java.util.Arrays.stream(ids).distinct().count();
    }

    public boolean hasPositivePair() {
        return java.util.Arrays.stream(ids).distinct().count() < ids.length;
    }

    /** 1 where {@code i != j} and the identities agree, else 0: {@code [B, B]}. */
    public NDArray positiveMask() {
        return mask(true);
    }

    /** 1 where the identities differ, else 0: {@code [B, B]}. */
    public NDArray negativeMask() {
        return mask(false);
    }

    private NDArray mask(boolean positive) {
        int n = ids.length;
        float[] m = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                boolean s = ids[i] == ids[j];
                m[i * n + j] = (positive ? s && i != j : !s) ? 1f : 0f;
            }
        }
        NDManager manager = embeddings.getManager();
        return manager.create(m, new Shape(n, n)).toType(embeddings.getDataType(), false);
    }
}

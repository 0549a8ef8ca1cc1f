package org.reid.core.data;

/**
 * A sample for {@link PkSampler}: its index (what the sampler hands back, e.g. a position in
 * {@link ReidDataset#train()}) and its identity label.
 *
 * @param index non-negative sample index, unique within one sampler
 * @param label identity label (any int: a pid or a contiguous class label)
 */
public record IndexedLabel(int index, int label) {

    public IndexedLabel {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
    }
}

package org.reid.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Identity-balanced batches: every batch holds exactly {@code P} distinct identities with
 * {@code K} samples each, the layout batch-hard triplet, MVP and the other pair losses need.
 *
 * <p><b>One epoch.</b> Each identity's samples are shuffled and cut into chunks of {@code K}
 * (the remainder, fewer than K samples, sits the epoch out; which ones changes every epoch). An
 * identity with fewer than {@code K} samples gets one chunk of {@code K} draws with replacement, as
 * torchreid's {@code RandomIdentitySampler} does, so the chunk repeats samples. With
 * {@code c_i = max(1, floor(n_i / K))} chunks for identity {@code i}, the number of batches per
 * epoch ({@link #batchesPerEpoch()}) is the largest {@code B} with
 * {@code sum_i min(c_i, B) >= B * P}: this is {@code floor(sum_i c_i / P)} unless a few identities
 * hold more than {@code B} chunks, which then use only {@code B} of them (an identity appears at
 * most once per batch). It is fixed by the data and P, K, never by the seed. Fewer than {@code P}
 * chunks are left over per epoch; they are taken from identities that have chunks to spare, so
 * every identity appears in every epoch unless that is impossible (e.g. every identity has fewer
 * than {@code 2K} samples and their number is not a multiple of {@code P}: then the remainder sit
 * out at random). Samples of an identity with {@code n_i >= K} appear at most once per epoch.
 *
 * <p><b>Batch order.</b> Batches are drawn lazily. With {@code r} batches to go and
 * {@code left_i} chunks of identity {@code i} still to place, identity {@code i} enters the next
 * batch with probability exactly {@code left_i / r} (randomized systematic sampling; these sum to
 * P), so each identity's chunks are spread evenly over the epoch and an identity that must be in
 * every remaining batch is always taken. Each batch is an {@code int[P * K]} of sample indices,
 * identity-major: positions {@code [j*K, (j+1)*K)} belong to one identity; the identity order
 * within a batch is random. Everything is a function of ({@code seed}, epoch number): the same
 * pair gives the same batches on any JVM ({@link java.util.Random} is specified). The sampler is
 * immutable and may be shared; each epoch's iterator belongs to one thread.
 */
public final class PkSampler {

    private final int p;
    private final int k;
    private final long seed;
    private final int[] labels;       // distinct labels, ascending
    private final int[][] members;    // sample indices of each identity, input order
    private final int batchesPerEpoch;
    private final int numSamples;

    /**
     * @param samples indices and labels of the samples to draw from (indices unique)
     * @param p identities per batch, at least 1 and at most the number of identities
     * @param k samples per identity in a batch, at least 1
     * @param seed seed of every epoch's shuffles
     * @throws IllegalArgumentException for bad P or K, fewer than P identities, or a repeated index
     */
    public PkSampler(List<IndexedLabel> samples, int p, int k, long seed) {
        Objects.requireNonNull(samples, "samples");
        if (p < 1 || k < 1) {
            throw new IllegalArgumentException("P x K sampler: P and K must be >= 1, got P=" + p + ", K=" + k);
        }
        try {
            Math.multiplyExact(p, k);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("P x K sampler: P=" + p + " x K=" + k + " overflows an int batch size");
        }
        TreeMap<Integer, List<Integer>> byLabel = new TreeMap<>();
        Set<Integer> seen = new HashSet<>();
        for (IndexedLabel s : samples) {
            if (!seen.add(s.index())) {
                throw new IllegalArgumentException("P x K sampler: index " + s.index() + " appears more than once");
            }
            byLabel.computeIfAbsent(s.label(), l -> new ArrayList<>()).add(s.index());
        }
        if (byLabel.size() < p) {
            throw new IllegalArgumentException("P x K sampler: P=" + p + " identities x K=" + k
                    + " per batch needs at least " + p + " identities, the data has " + byLabel.size()
                    + " identities in " + samples.size() + " samples");
        }
        this.p = p;
        this.k = k;
        this.seed = seed;
        this.numSamples = samples.size();
        this.labels = byLabel.keySet().stream().mapToInt(Integer::intValue).toArray();
        this.members = byLabel.values().stream()
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
        this.batchesPerEpoch = countBatches(members, p, k);
    }

    /** A sampler over samples {@code 0..labels.length-1}, sample {@code i} having label {@code labels[i]}. */
    public static PkSampler forLabels(int[] labels, int p, int k, long seed) {
        List<IndexedLabel> samples = new ArrayList<>(labels.length);
        for (int i = 0; i < labels.length; i++) {
            samples.add(new IndexedLabel(i, labels[i]));
        }
        return new PkSampler(samples, p, k, seed);
    }

    /** A sampler over a dataset's train split: indices into {@link ReidDataset#train()}, labels by pid. */
    public static PkSampler forTrainSplit(ReidDataset dataset, int p, int k, long seed) {
        return forLabels(dataset.trainLabels(), p, k, seed);
    }

    /** Largest B with sum_i min(c_i, B) >= B * P; f(b+1) - f(b) = #{c_i > b} - P never grows. */
    private static int countBatches(int[][] members, int p, int k) {
        int maxChunks = 0;
        int[] chunks = new int[members.length];
        for (int i = 0; i < members.length; i++) {
            chunks[i] = Math.max(1, members[i].length / k);
            maxChunks = Math.max(maxChunks, chunks[i]);
        }
        int[] withChunks = new int[maxChunks + 2];
        for (int c : chunks) {
            withChunks[c]++;
        }
        int b = 0;
        long slack = 0;               // sum_i min(c_i, b) - b * P
        int above = members.length;   // #{c_i > b}
        // ends: once b passes every c_i, "above" is 0 and the slack falls by P per step
        while (slack + above - p >= 0) {
            slack += above - p;
            b++;
            above -= b < withChunks.length ? withChunks[b] : 0;
        }
        return b;
    }

    /** Identities per batch. */
    public int p() {
        return p;
    }

    /** Samples per identity in a batch. */
    public int k() {
        return k;
    }

    /** Samples per batch, {@code P * K}. */
    public int batchSize() {
        return p * k;
    }

    /** Distinct identities in the data. */
    public int numIdentities() {
        return labels.length;
    }

    /** Samples in the data. */
    public int numSamples() {
        return numSamples;
    }

    /** Batches every epoch yields; fixed by the data, P and K (see the class comment). */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /**
     * The batches of epoch {@code epoch} (any int; the same seed and epoch give the same batches),
     * drawn lazily, {@link #batchesPerEpoch()} of them, each an {@code int[P*K]} of sample indices,
     * identity-major.
     */
    public Iterator<int[]> epoch(int epoch) {
        return new EpochIterator(new Random(mix(seed, epoch)));
    }

    /** SplitMix64 finaliser over (seed, epoch), so neighbouring epochs get unrelated streams. */
    private static long mix(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void shuffle(int[] a, Random rnd) {
        shuffle(a, a.length, rnd);
    }

    /** Fisher-Yates over the first {@code n} elements. */
    private static void shuffle(int[] a, int n, Random rnd) {
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** One epoch: per-identity chunk pools fixed up front, batch composition drawn on demand. */
    private final class EpochIterator implements Iterator<int[]> {
        private final Random rnd;
        private final int[][] pools;   // identity i's chunk j is pools[i][j*K .. (j+1)*K)
        private final int[] left;      // chunks identity i still puts into this epoch
        private final int[] used;      // chunks identity i has put in so far
        private int remaining;         // batches still to yield
        private final int[] active;    // ids that may still have chunks left (first activeCount)
        private int activeCount;

        EpochIterator(Random rnd) {
            this.rnd = rnd;
            int n = members.length;
            pools = new int[n][];
            left = new int[n];
            used = new int[n];
            remaining = batchesPerEpoch;
            long total = 0;
            for (int i = 0; i < n; i++) {
                int[] own = members[i];
                int[] pool;
                if (own.length < k) {
                    pool = new int[k];
                    for (int j = 0; j < k; j++) {
                        pool[j] = own[rnd.nextInt(own.length)];
                    }
                } else {
                    pool = own.clone();
                    shuffle(pool, rnd);
                }
                pools[i] = pool;
                left[i] = Math.min(pool.length / k, batchesPerEpoch);
                total += left[i];
            }
            dropExcess(total - (long) batchesPerEpoch * p);
            active = new int[n];
            for (int i = 0; i < n; i++) {
                active[i] = i;
            }
            activeCount = n;
        }

        /** Drops identities whose chunks are used up from the active list. */
        private void compactActive() {
            int kept = 0;
            for (int j = 0; j < activeCount; j++) {
                if (left[active[j]] > 0) {
                    active[kept++] = active[j];
                }
            }
            activeCount = kept;
        }

        /** Takes the (fewer than P) spare chunks from identities that keep at least one. */
        private void dropExcess(long excess) {
            while (excess > 0) {
                int[] candidates = idsWithAtLeast(2);
                if (candidates.length == 0) {
                    candidates = idsWithAtLeast(1);
                }
                shuffle(candidates, rnd);
                for (int j = 0; j < candidates.length && excess > 0; j++, excess--) {
                    left[candidates[j]]--;
                }
            }
        }

        private int[] idsWithAtLeast(int chunks) {
            int[] ids = new int[left.length];
            int m = 0;
            for (int i = 0; i < left.length; i++) {
                if (left[i] >= chunks) {
                    ids[m++] = i;
                }
            }
            return Arrays.copyOf(ids, m);
        }

        @Override
        public boolean hasNext() {
            return remaining > 0;
        }

        @Override
        public int[] next() {
            if (remaining == 0) {
                throw new NoSuchElementException("epoch exhausted after " + batchesPerEpoch + " batches");
            }
            // sum(left) == remaining * P and left[i] <= remaining always hold, so the inclusion
            // probabilities left[i] / remaining are at most 1 and sum to P. Randomized systematic
            // sampling realises them exactly: lay the identities' left counts end to end in random
            // order on [0, remaining * P) and take those hit by the P points o, o + remaining, ...
            // An interval of length <= remaining holds at most one point, so the P ids are distinct.
            compactActive();
            shuffle(active, activeCount, rnd);
            int[] chosen = new int[p];
            int m = 0;
            long point = rnd.nextInt(remaining);
            long end = 0;
            for (int j = 0; j < activeCount && m < p; j++) {
                int id = active[j];
                end += left[id];
                if (point < end) {
                    chosen[m++] = id;
                    point += remaining;
                }
            }
            if (m != p) {
                throw new IllegalStateException("P x K sampler invariant broken: drew " + m + " of P=" + p);
            }
            // chosen follows the shuffled active order, so identity order within the batch is random
            int[] batch = new int[p * k];
            for (int j = 0; j < p; j++) {
                int id = chosen[j];
                System.arraycopy(pools[id], used[id] * k, batch, j * k, k);
                used[id]++;
                left[id]--;
            }
            remaining--;
            return batch;
        }
    }
}

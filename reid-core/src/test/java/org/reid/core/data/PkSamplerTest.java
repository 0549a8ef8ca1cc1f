package org.reid.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PkSamplerTest {

    /** labels[i] for samples 0..n-1, identity j having sizes[j] samples, interleaved. */
    private static int[] labelsWithSizes(int... sizes) {
        List<Integer> labels = new ArrayList<>();
        int max = Arrays.stream(sizes).max().orElse(0);
        for (int round = 0; round < max; round++) {
            for (int id = 0; id < sizes.length; id++) {
                if (round < sizes[id]) {
                    labels.add(100 + id);
                }
            }
        }
        return labels.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<int[]> drain(Iterator<int[]> it) {
        List<int[]> batches = new ArrayList<>();
        it.forEachRemaining(batches::add);
        return batches;
    }

    /** Each batch: P distinct identities, K consecutive samples each, indices valid. */
    private static void assertBalanced(List<int[]> batches, int[] labels, int p, int k) {
        for (int[] batch : batches) {
            assertThat(batch).hasSize(p * k);
            Set<Integer> ids = new HashSet<>();
            for (int j = 0; j < p; j++) {
                int id = labels[batch[j * k]];
                for (int t = 0; t < k; t++) {
                    assertThat(batch[j * k + t]).isBetween(0, labels.length - 1);
                    assertThat(labels[batch[j * k + t]]).isEqualTo(id);
                }
                ids.add(id);
            }
            assertThat(ids).hasSize(p);
        }
    }

    @Test
    void everyBatchHasPDistinctIdentitiesWithKSamplesEach() {
        int[] labels = labelsWithSizes(9, 4, 6, 12, 5, 8, 4, 7, 10, 3);
        PkSampler sampler = PkSampler.forLabels(labels, 4, 3, 42);
        assertThat(sampler.batchSize()).isEqualTo(12);
        assertThat(sampler.numIdentities()).isEqualTo(10);
        for (int epoch = 0; epoch < 5; epoch++) {
            List<int[]> batches = drain(sampler.epoch(epoch));
            assertThat(batches).hasSize(sampler.batchesPerEpoch());
            assertBalanced(batches, labels, 4, 3);
        }
    }

    @Test
    void batchesPerEpochIsChunksOverP() {
        // chunks of K=4: 2+1+1+3+1+2 = 10 -> 10 / P=3 = 3 batches
        int[] labels = labelsWithSizes(8, 4, 2, 13, 5, 9);
        assertThat(PkSampler.forLabels(labels, 3, 4, 1).batchesPerEpoch()).isEqualTo(3);
        // one identity with 25 chunks cannot fill more batches than the other three allow:
        // largest B with min(25,B) + 1 + 1 + 1 >= 2B is B = 3
        int[] skewed = labelsWithSizes(100, 4, 4, 4);
        PkSampler s = PkSampler.forLabels(skewed, 2, 4, 1);
        assertThat(s.batchesPerEpoch()).isEqualTo(3);
        List<int[]> batches = drain(s.epoch(0));
        assertThat(batches).hasSize(3);
        assertBalanced(batches, skewed, 2, 4);
        // the big identity is in every batch, each small one exactly once
        for (int[] b : batches) {
            assertThat(skewed[b[0]] == 100 || skewed[b[4]] == 100).isTrue();
        }
    }

    @Test
    void sameSeedAndEpochGiveSameBatchesOtherwiseDifferent() {
        int[] labels = labelsWithSizes(9, 4, 6, 12, 5, 8, 4, 7, 10, 3, 6, 6);
        List<int[]> a = drain(PkSampler.forLabels(labels, 4, 2, 7).epoch(3));
        List<int[]> b = drain(PkSampler.forLabels(labels, 4, 2, 7).epoch(3));
        List<int[]> otherEpoch = drain(PkSampler.forLabels(labels, 4, 2, 7).epoch(4));
        List<int[]> otherSeed = drain(PkSampler.forLabels(labels, 4, 2, 8).epoch(3));
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).containsExactly(b.get(i));
        }
        assertThat(flatten(a)).isNotEqualTo(flatten(otherEpoch));
        assertThat(flatten(a)).isNotEqualTo(flatten(otherSeed));
    }

    private static List<Integer> flatten(List<int[]> batches) {
        List<Integer> all = new ArrayList<>();
        batches.forEach(b -> Arrays.stream(b).forEach(all::add));
        return all;
    }

    @Test
    void anEpochCoversEveryIdentityAndRepeatsNoSampleOfLargeIdentities() {
        int[] labels = labelsWithSizes(9, 4, 6, 12, 5, 8, 4, 7, 10, 4, 6);
        int k = 4;
        PkSampler sampler = PkSampler.forLabels(labels, 3, k, 11);
        for (int epoch = 0; epoch < 10; epoch++) {
            List<int[]> batches = drain(sampler.epoch(epoch));
            Set<Integer> ids = new HashSet<>();
            List<Integer> all = flatten(batches);
            all.forEach(i -> ids.add(labels[i]));
            assertThat(ids).hasSize(11);
            assertThat(new HashSet<>(all)).hasSize(all.size());
            // chunks 2+1+1+3+1+2+1+1+2+1+1 = 16 -> 5 batches of 3 ids
            assertThat(batches).hasSize(5);
        }
    }

    @Test
    void overSeveralEpochsEverySampleIsDrawn() {
        int[] labels = labelsWithSizes(9, 5, 6, 7, 5, 8);
        PkSampler sampler = PkSampler.forLabels(labels, 2, 4, 3);
        Set<Integer> seen = new HashSet<>();
        for (int epoch = 0; epoch < 30; epoch++) {
            seen.addAll(flatten(drain(sampler.epoch(epoch))));
        }
        assertThat(seen).hasSize(labels.length);
    }

    @Test
    void smallIdentitiesAreDrawnWithReplacement() {
        int[] labels = labelsWithSizes(1, 2, 3, 2);
        PkSampler sampler = PkSampler.forLabels(labels, 2, 4, 5);
        assertThat(sampler.batchesPerEpoch()).isEqualTo(2);
        List<int[]> batches = drain(sampler.epoch(0));
        assertBalanced(batches, labels, 2, 4);
        // the one-image identity appears as four copies of its only sample
        int only = -1;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 100) {
                only = i;
            }
        }
        int copies = 0;
        for (int x : flatten(batches)) {
            copies += x == only ? 1 : 0;
        }
        assertThat(copies).isEqualTo(4);
    }

    @Test
    void identitiesLeftOutWhenUnavoidableAreAtMostFewerThanP() {
        // 7 identities of one chunk each, P = 3: 2 batches, one identity sits out each epoch
        int[] labels = labelsWithSizes(4, 4, 4, 4, 4, 4, 4);
        PkSampler sampler = PkSampler.forLabels(labels, 3, 4, 9);
        Set<Integer> satOut = new HashSet<>();
        for (int epoch = 0; epoch < 40; epoch++) {
            List<int[]> batches = drain(sampler.epoch(epoch));
            assertThat(batches).hasSize(2);
            assertBalanced(batches, labels, 3, 4);
            Set<Integer> ids = new HashSet<>();
            flatten(batches).forEach(i -> ids.add(labels[i]));
            assertThat(ids).hasSize(6);
            for (int id = 100; id < 107; id++) {
                if (!ids.contains(id)) {
                    satOut.add(id);
                }
            }
        }
        assertThat(satOut).hasSizeGreaterThan(1); // it is not always the same identity
    }

    @Test
    void randomDataAlwaysGivesBalancedEpochsOfTheAnnouncedLength() {
        Random rnd = new Random(2024);
        for (int trial = 0; trial < 300; trial++) {
            int ids = 1 + rnd.nextInt(30);
            int[] sizes = new int[ids];
            for (int i = 0; i < ids; i++) {
                // mostly small, sometimes huge identities, to exercise the per-identity cap
                sizes[i] = rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(200) : 1 + rnd.nextInt(12);
            }
            int p = 1 + rnd.nextInt(ids);
            int k = 1 + rnd.nextInt(6);
            int[] labels = labelsWithSizes(sizes);
            PkSampler sampler = PkSampler.forLabels(labels, p, k, trial);
            List<int[]> batches = drain(sampler.epoch(trial));
            assertThat(batches).hasSize(sampler.batchesPerEpoch()).isNotEmpty();
            assertBalanced(batches, labels, p, k);
            // identities with at least K samples never repeat a sample within an epoch
            Map<Integer, Integer> count = new HashMap<>();
            for (int x : flatten(batches)) {
                count.merge(x, 1, Integer::sum);
            }
            count.forEach((x, c) -> {
                if (sizes[labels[x] - 100] >= k) {
                    assertThat(c).isEqualTo(1);
                }
            });
        }
    }

    @Test
    void aLargeIdentityIsSpreadEvenlyOverTheEpoch() {
        // 200 identities of 2 chunks + one of 40 chunks (K=4), P=8: 440 chunks, 55 batches.
        // The big identity must fill 40 of 55 batches; spread evenly it sits in 40/55 of the first
        // 13 batches too, instead of being pushed into the tail of the epoch.
        int[] sizes = new int[201];
        Arrays.fill(sizes, 8);
        sizes[0] = 160;
        int[] labels = labelsWithSizes(sizes);
        PkSampler sampler = PkSampler.forLabels(labels, 8, 4, 17);
        assertThat(sampler.batchesPerEpoch()).isEqualTo(55);
        int epochs = 60;
        int early = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            List<int[]> batches = drain(sampler.epoch(epoch));
            for (int b = 0; b < 13; b++) {
                for (int j = 0; j < 8; j++) {
                    early += labels[batches.get(b)[j * 4]] == 100 ? 1 : 0;
                }
            }
        }
        double expected = epochs * 13 * 40.0 / 55;
        assertThat(early).isBetween((int) (0.93 * expected), (int) (1.07 * expected));
    }

    @Test
    void iteratorEndsWithNoSuchElement() {
        PkSampler sampler = PkSampler.forLabels(labelsWithSizes(4, 4), 2, 2, 0);
        Iterator<int[]> it = sampler.epoch(0);
        assertThat(drain(it)).hasSize(2);
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void tooFewIdentitiesForPIsRejectedWithTheNumbers() {
        int[] labels = labelsWithSizes(5, 5, 5);
        assertThatThrownBy(() -> PkSampler.forLabels(labels, 4, 4, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("P=4")
                .hasMessageContaining("K=4")
                .hasMessageContaining("the data has 3 identities in 15 samples");
    }

    @Test
    void nonPositivePOrKIsRejected() {
        int[] labels = labelsWithSizes(5, 5, 5);
        assertThatThrownBy(() -> PkSampler.forLabels(labels, 0, 4, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P=0, K=4");
        assertThatThrownBy(() -> PkSampler.forLabels(labels, 2, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P=2, K=0");
        assertThatThrownBy(() -> PkSampler.forLabels(labels, 2, -3, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("K=-3");
        assertThatThrownBy(() -> PkSampler.forLabels(labels, 1 << 16, 1 << 16, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overflows");
    }

    @Test
    void repeatedIndexIsRejected() {
        List<IndexedLabel> samples = List.of(new IndexedLabel(0, 1), new IndexedLabel(1, 2), new IndexedLabel(0, 2));
        assertThatThrownBy(() -> new PkSampler(samples, 1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 0 appears more than once");
    }

    @Test
    void indicesAreTheGivenOnesNotPositions() {
        List<IndexedLabel> samples = List.of(
                new IndexedLabel(500, 1), new IndexedLabel(501, 1), new IndexedLabel(700, 2), new IndexedLabel(701, 2));
        List<int[]> batches = drain(new PkSampler(samples, 2, 2, 0).epoch(0));
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).containsExactlyInAnyOrder(500, 501, 700, 701);
    }

    @Test
    void trainSplitSamplerUsesContiguousLabels() {
        Path p = Path.of("x.jpg");
        ReidDataset ds = new ReidDataset("t", List.of(
                new ReidImage(p, 30, 0, "a"), new ReidImage(p, 30, 1, "b"),
                new ReidImage(p, 5, 0, "c"), new ReidImage(p, 5, 1, "d")), List.of(), List.of());
        PkSampler sampler = PkSampler.forTrainSplit(ds, 2, 2, 0);
        int[] batch = sampler.epoch(0).next();
        assertThat(batch).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(sampler.numIdentities()).isEqualTo(2);
    }
}

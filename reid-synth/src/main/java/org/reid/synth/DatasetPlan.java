package org.reid.synth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decides, sequentially and cheaply, every file the generator will write: who, which camera,
 * which frame, which split and under which (possibly wrong) id. Rendering then only executes the
 * plan, in parallel, with a random stream per image.
 */
final class DatasetPlan {

    /** What one file shows. */
    enum Kind { PERSON, DISTRACTOR, JUNK }

    /**
     * One planned file.
     *
     * @param pid        true identity (1-based) for PERSON, else 0 / -1
     * @param index      image index within the identity, or the distractor/junk number
     * @param writtenPid the id in the file name; differs from pid for mislabelled training images
     */
    record Item(Kind kind, int pid, int index, int camera, int frame, Split split, int writtenPid) {
        String fileName() {
            return MarketNames.format(writtenPid, camera, frame, 1);
        }

        boolean mislabelled() {
            return writtenPid != pid;
        }
    }

    final List<Appearance> appearances;
    final CameraProfile[] cameras;
    final boolean[] isTrain;          // by pid (index 0 unused)
    final List<List<Item>> byIdentity; // index pid - 1
    final List<Item> extras;           // distractors and junk

    private DatasetPlan(List<Appearance> appearances, CameraProfile[] cameras, boolean[] isTrain,
                        List<List<Item>> byIdentity, List<Item> extras) {
        this.appearances = appearances;
        this.cameras = cameras;
        this.isTrain = isTrain;
        this.byIdentity = byIdentity;
        this.extras = extras;
    }

    static DatasetPlan of(SynthConfig c) {
        int n = c.identities();
        List<Appearance> appearances = AppearanceSampler.sample(n, c.lookAlikeFraction(), c.seed());
        CameraProfile[] cameras = CameraProfile.sample(c);

        // which identities train: a seeded shuffle, so train and test ids interleave as in Market-1501
        List<Integer> pids = new ArrayList<>();
        for (int p = 1; p <= n; p++) {
            pids.add(p);
        }
        shuffle(pids, Seeds.random(c.seed(), 3));
        boolean[] isTrain = new boolean[n + 1];
        for (int i = 0; i < c.trainIdentities(); i++) {
            isTrain[pids.get(i)] = true;
        }

        SplittableRandom frames = Seeds.random(c.seed(), 5);
        int[] frameCounter = new int[c.cameras() + 1];
        List<List<Item>> byIdentity = new ArrayList<>(n);
        int testImages = 0;
        for (int pid = 1; pid <= n; pid++) {
            SplittableRandom rnd = Seeds.random(c.seed(), 4, pid);
            int base = c.imagesPerIdentity();
            int count = Math.max(4, base + rnd.nextInt(-base / 4, base / 4 + 1));
            int maxCams = Math.min(c.cameras(), count / 2); // >= 2 crops per camera
            int k = 2 + rnd.nextInt(maxCams - 1);
            if (c.randomizeCameras()) {
                // as many cameras as two crops each allow: the most cameras per person while the
                // training job's validation hold-out still finds a cross-camera gallery crop per query
                k = maxCams;
            }
            List<Integer> cams = new ArrayList<>();
            for (int cam = 1; cam <= c.cameras(); cam++) {
                cams.add(cam);
            }
            shuffle(cams, rnd);
            List<Item> items = new ArrayList<>(count);
            boolean[] queried = new boolean[c.cameras() + 1];
            for (int i = 0; i < count; i++) {
                int cam = cams.get(i % k);
                frameCounter[cam] += 1 + frames.nextInt(40);
                Split split;
                if (isTrain[pid]) {
                    split = Split.TRAIN;
                } else if (!queried[cam]) {
                    queried[cam] = true;
                    split = Split.QUERY;
                } else {
                    split = Split.GALLERY;
                }
                items.add(new Item(Kind.PERSON, pid, i, cam, frameCounter[cam], split, pid));
            }
            if (!isTrain[pid]) {
                testImages += count;
            }
            byIdentity.add(items);
        }
        relabel(c, byIdentity, pids.subList(0, c.trainIdentities()));

        List<Item> extras = new ArrayList<>();
        SplittableRandom er = Seeds.random(c.seed(), 6);
        int distractors = (int) Math.round(c.distractorRate() * testImages);
        int junk = (int) Math.round(c.junkRate() * testImages);
        for (int i = 0; i < distractors + junk; i++) {
            int cam = 1 + er.nextInt(c.cameras());
            frameCounter[cam] += 1 + frames.nextInt(40);
            boolean isJunk = i >= distractors;
            int id = isJunk ? MarketNames.JUNK : MarketNames.DISTRACTOR;
            extras.add(new Item(isJunk ? Kind.JUNK : Kind.DISTRACTOR, id, i, cam, frameCounter[cam],
                    Split.GALLERY, id));
        }
        for (int cam = 1; cam <= c.cameras(); cam++) {
            if (frameCounter[cam] > 999_999) {
                throw new IllegalArgumentException("too many images per camera for 6-digit Market-1501 frame numbers:"
                        + " lower identities x imagesPerIdentity / cameras (identities=" + c.identities()
                        + ", imagesPerIdentity=" + c.imagesPerIdentity() + ", cameras=" + c.cameras() + ")");
            }
        }
        return new DatasetPlan(appearances, cameras, isTrain, byIdentity, extras);
    }

    /** Label noise: exactly round(labelNoise x train images) training files get another training id. */
    private static void relabel(SynthConfig c, List<List<Item>> byIdentity, List<Integer> trainPids) {
        if (c.labelNoise() == 0) {
            return;
        }
        List<int[]> trainSlots = new ArrayList<>(); // (pid, index)
        for (List<Item> items : byIdentity) {
            for (Item it : items) {
                if (it.split() == Split.TRAIN) {
                    trainSlots.add(new int[] {it.pid(), it.index()});
                }
            }
        }
        SplittableRandom rnd = Seeds.random(c.seed(), 7);
        shuffle(trainSlots, rnd);
        int m = (int) Math.round(c.labelNoise() * trainSlots.size());
        List<Integer> sortedTrain = new ArrayList<>(trainPids);
        Collections.sort(sortedTrain);
        for (int i = 0; i < m; i++) {
            int pid = trainSlots.get(i)[0];
            int index = trainSlots.get(i)[1];
            int other;
            do {
                other = sortedTrain.get(rnd.nextInt(sortedTrain.size()));
            } while (other == pid);
            List<Item> items = byIdentity.get(pid - 1);
            Item it = items.get(index);
            items.set(index, new Item(it.kind(), it.pid(), it.index(), it.camera(), it.frame(), it.split(), other));
        }
    }

    int totalImages() {
        int t = extras.size();
        for (List<Item> items : byIdentity) {
            t += items.size();
        }
        return t;
    }

    static <T> void shuffle(List<T> list, SplittableRandom rnd) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}

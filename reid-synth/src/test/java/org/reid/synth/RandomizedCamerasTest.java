package org.reid.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reid.core.data.BoundingBoxLayoutReader;
import org.reid.core.data.ReidDataset;
import org.reid.core.data.ReidImage;

class RandomizedCamerasTest {
    @TempDir
    Path tmp;

    private static SynthConfig pool(long seed, int cameras) {
        return SynthConfig.randomized().toBuilder().identities(6).imagesPerIdentity(8).cameras(cameras)
                .poorLightCameras(2).lowResCameras(2).seed(seed).size(64, 32).build();
    }

    @Test
    void worldsWithDifferentSeedsShareNoCameraProfile() {
        Set<CameraProfile> first = settings(CameraProfile.sample(pool(1, 200)));
        Set<CameraProfile> second = settings(CameraProfile.sample(pool(2, 200)));
        assertThat(first).hasSize(200); // and no two cameras of one world alike
        assertThat(second).hasSize(200).doesNotContainAnyElementsOf(first);
        // the same seed gives the same cameras
        assertThat(CameraProfile.sample(pool(1, 200))).containsExactly(CameraProfile.sample(pool(1, 200)));
    }

    @Test
    void thePoolVariesEveryKindOfSetting() {
        CameraProfile[] cams = CameraProfile.sample(pool(5, 200));
        assertThat(Arrays.stream(cams).map(CameraProfile::background)).containsAll(
                List.of(CameraProfile.Background.values()));
        assertThat(Arrays.stream(cams).map(CameraProfile::floorPattern)).containsAll(
                List.of(CameraProfile.FloorPattern.values()));
        assertThat(Arrays.stream(cams).map(CameraProfile::usualView)).containsAll(List.of(Viewpoint.values()));
        assertThat(Arrays.stream(cams).filter(CameraProfile::poorLight)).hasSize(2);
        assertThat(Arrays.stream(cams).filter(CameraProfile::lowRes)).hasSize(2);
        assertThat(Arrays.stream(cams).mapToDouble(CameraProfile::light).max().orElseThrow()
                - Arrays.stream(cams).mapToDouble(CameraProfile::light).min().orElseThrow()).isGreaterThan(0.7);
        assertThat(Arrays.stream(cams).mapToDouble(c -> c.tone().saturation()).min().orElseThrow()).isLessThan(0.6);
        assertThat(Arrays.stream(cams).mapToInt(CameraProfile::blurPasses).max().orElseThrow()).isEqualTo(2);
        assertThat(Arrays.stream(cams).allMatch(CameraProfile::randomized)).isTrue();
    }

    /**
     * Past camera 9 names read c10s1, c12s1: the project's Market-1501 reader must give back the
     * camera the writer meant, or the protocol's same-camera exclusion would mix cameras up.
     */
    @Test
    void namesPastNineCamerasReadBackAsTheSameCameras() throws IOException {
        SynthConfig c = pool(3, 12).toBuilder().identities(8).imagesPerIdentity(12).build();
        Path out = tmp.resolve("twelve");
        SyntheticDataset.generate(c, out, ProgressListener.NONE);
        ReidDataset data = BoundingBoxLayoutReader.market1501().read(out);

        Set<Integer> cameras = new HashSet<>();
        for (List<ReidImage> split : List.of(data.train(), data.query(), data.gallery())) {
            for (ReidImage img : split) {
                String name = img.path().getFileName().toString();
                int written = Integer.parseInt(name.substring(name.indexOf("_c") + 2, name.indexOf("s1_")));
                assertThat(img.camId()).as(name).isEqualTo(written - 1);
                cameras.add(written);
            }
        }
        assertThat(cameras).contains(10, 11, 12).allMatch(cam -> cam >= 1 && cam <= 12);
    }

    /**
     * The point of the pool: a person is seen by as many cameras as two crops per camera allow (two,
     * so that a validation hold-out of training identities, like the test split, has a cross-camera
     * gallery crop for every query).
     */
    @Test
    void trainingIdentitiesAreSeenByManyCamerasAndTestIdentitiesStayCrossCamera() throws IOException {
        SynthConfig c = pool(4, 60).toBuilder().identities(10).imagesPerIdentity(12).build();
        Path out = tmp.resolve("many");
        SyntheticDataset.generate(c, out, ProgressListener.NONE);
        ReidDataset data = BoundingBoxLayoutReader.market1501().read(out);

        Map<Integer, Map<Integer, Integer>> cropsByTrainIdAndCamera = new HashMap<>();
        for (ReidImage img : data.train()) {
            cropsByTrainIdAndCamera.computeIfAbsent(img.pid(), k -> new HashMap<>()).merge(img.camId(), 1, Integer::sum);
        }
        assertThat(cropsByTrainIdAndCamera).hasSize(5);
        cropsByTrainIdAndCamera.forEach((pid, byCamera) -> {
            int crops = byCamera.values().stream().mapToInt(Integer::intValue).sum();
            assertThat(byCamera).as("cameras of %d", pid).hasSize(crops / 2);
            assertThat(byCamera.values()).as("crops per camera of %d", pid).allMatch(n -> n >= 2);
        });
        for (ReidImage q : data.query()) {
            assertThat(data.gallery()).anySatisfy(g -> {
                assertThat(g.pid()).isEqualTo(q.pid());
                assertThat(g.camId()).isNotEqualTo(q.camId());
            });
        }
    }

    @Test
    void aRandomizedWorldIsIdenticalRunToRun() throws Exception {
        SynthConfig c = pool(9, 20);
        SyntheticDataset.generate(c, tmp.resolve("a"), ProgressListener.NONE);
        ForkJoinPool oneThread = new ForkJoinPool(1);
        try {
            oneThread.submit(() -> SyntheticDataset.generate(c, tmp.resolve("b"), ProgressListener.NONE)).get();
        } finally {
            oneThread.shutdown();
        }
        List<String> files = files(tmp.resolve("a"));
        assertThat(files(tmp.resolve("b"))).isEqualTo(files);
        for (String f : files) {
            assertThat(Files.mismatch(tmp.resolve("a").resolve(f), tmp.resolve("b").resolve(f))).as(f).isEqualTo(-1L);
        }
    }

    @Test
    void jpegQualityVariesPerCropWithinItsRangeAndIsFixedOtherwise() {
        SynthConfig varied = pool(1, 4).toBuilder().jpegQuality(0.95f).minJpegQuality(0.4f).build();
        SynthConfig fixed = SynthConfig.standard().toBuilder().jpegQuality(0.8f).build();
        Set<Float> qualities = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            DatasetPlan.Item item = new DatasetPlan.Item(DatasetPlan.Kind.PERSON, 1, i, 1, i, Split.TRAIN, 1);
            float q = SyntheticDataset.jpegQuality(varied, item);
            assertThat(q).isBetween(0.4f, 0.95f).isEqualTo(SyntheticDataset.jpegQuality(varied, item));
            qualities.add(q);
            assertThat(SyntheticDataset.jpegQuality(fixed, item)).isEqualTo(0.8f);
        }
        assertThat(qualities).hasSizeGreaterThan(15);
        assertThat(fixed.minJpegQuality()).as("lowering jpegQuality keeps one fixed quality").isEqualTo(0.8f);
    }

    private static Set<CameraProfile> settings(CameraProfile[] cams) {
        Set<CameraProfile> out = new HashSet<>();
        for (CameraProfile c : cams) {
            out.add(c.renumbered(0)); // compare the settings, not the ids every world has
        }
        return out;
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}

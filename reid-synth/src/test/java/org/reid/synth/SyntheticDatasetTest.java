package org.reid.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDatasetTest {

    /** Market-1501 names as the usual readers (torchreid's) parse them: pid, camera; plus sequence, frame, box. */
    private static final Pattern MARKET = Pattern.compile("^(-1|\\d{4})_c(\\d)s(\\d)_(\\d{6})_(\\d{2})\\.jpg$");

    @TempDir
    Path tmp;

    private static SynthConfig tiny() {
        return SynthConfig.builder().identities(6).imagesPerIdentity(4).cameras(3).seed(7)
                .distractorRate(0.25).junkRate(0.1).build();
    }

    @Test
    void writesMarket1501LayoutWithParsableNames() throws IOException {
        Path out = tmp.resolve("ds");
        SynthSummary s = SyntheticDataset.generate(tiny(), out, ProgressListener.NONE);

        Map<String, List<Name>> bySplit = new HashMap<>();
        for (Split split : Split.values()) {
            assertThat(out.resolve(split.folder())).isDirectory();
            bySplit.put(split.folder(), names(out.resolve(split.folder())));
        }
        List<Name> train = bySplit.get("bounding_box_train");
        List<Name> query = bySplit.get("query");
        List<Name> gallery = bySplit.get("bounding_box_test");
        assertThat(train).hasSize(s.trainImages());
        assertThat(query).hasSize(s.queryImages());
        assertThat(gallery).hasSize(s.galleryImages());
        assertThat(s.trainIdentities()).isEqualTo(3);
        assertThat(s.testIdentities()).isEqualTo(3);

        Set<Integer> trainIds = ids(train);
        Set<Integer> queryIds = ids(query);
        assertThat(trainIds).hasSize(3).doesNotContain(0, -1);
        assertThat(queryIds).hasSize(3).doesNotContainAnyElementsOf(trainIds).doesNotContain(0, -1);
        // distractors (0000) and junk (-1) live only in the gallery
        assertThat(gallery.stream().filter(n -> n.pid == 0).count()).isEqualTo(s.distractorImages()).isPositive();
        assertThat(gallery.stream().filter(n -> n.pid == -1).count()).isEqualTo(s.junkImages()).isPositive();
        assertThat(ids(gallery)).containsAll(queryIds).doesNotContainAnyElementsOf(trainIds);

        // one query per (identity, camera), each with a gallery match from another camera
        Set<String> pidCam = new HashSet<>();
        for (Name q : query) {
            assertThat(pidCam.add(q.pid + "/" + q.camera)).as("second query for pid %d camera %d", q.pid, q.camera).isTrue();
            assertThat(gallery).anySatisfy(g -> {
                assertThat(g.pid).isEqualTo(q.pid);
                assertThat(g.camera).isNotEqualTo(q.camera);
            });
        }
        for (List<Name> names : bySplit.values()) {
            for (Name n : names) {
                assertThat(n.camera).isBetween(1, 3);
            }
        }
        // every test identity seen by >= 2 cameras and no frame reused within a camera
        Set<String> frames = new HashSet<>();
        for (List<Name> names : bySplit.values()) {
            for (Name n : names) {
                assertThat(frames.add(n.camera + "/" + n.frame)).as("frame %s reused", n.file).isTrue();
            }
        }

        BufferedImage img = ImageIO.read(out.resolve("query").resolve(query.get(0).file).toFile());
        assertThat(img.getHeight()).isEqualTo(128);
        assertThat(img.getWidth()).isEqualTo(64);
        assertThat(out.resolve("synth.json")).content().contains("\"identities\" : 6", "market1501");
    }

    @Test
    void sameSeedGivesIdenticalBytesAndAnotherSeedDoesNot() throws Exception {
        SynthConfig c = tiny();
        SyntheticDataset.generate(c, tmp.resolve("a"), ProgressListener.NONE);
        // the second run on a single worker thread: the bytes must not depend on scheduling
        ForkJoinPool oneThread = new ForkJoinPool(1);
        try {
            oneThread.submit(() -> SyntheticDataset.generate(c, tmp.resolve("b"), ProgressListener.NONE)).get();
        } finally {
            oneThread.shutdown();
        }
        SyntheticDataset.generate(c.toBuilder().seed(8).build(), tmp.resolve("c"), ProgressListener.NONE);

        Map<String, byte[]> a = contents(tmp.resolve("a"));
        Map<String, byte[]> b = contents(tmp.resolve("b"));
        assertThat(b.keySet()).isEqualTo(a.keySet());
        for (String file : a.keySet()) {
            assertThat(b.get(file)).as(file).isEqualTo(a.get(file));
        }
        Map<String, byte[]> other = contents(tmp.resolve("c"));
        long same = a.keySet().stream().filter(f -> f.endsWith(".jpg"))
                .filter(f -> other.containsKey(f) && java.util.Arrays.equals(other.get(f), a.get(f))).count();
        assertThat(same).isZero();
        assertThat(other.get("contact-sheet.png")).isNotEqualTo(a.get("contact-sheet.png"));
    }

    @Test
    void labelNoiseRelabelsTheRequestedFractionOfTrainingImagesOnly() throws IOException {
        SynthConfig c = SynthConfig.builder().identities(20).imagesPerIdentity(8).cameras(3).seed(3).size(64, 32)
                .labelNoise(0.2).build();
        Path out = tmp.resolve("noisy");
        SynthSummary s = SyntheticDataset.generate(c, out, ProgressListener.NONE);

        assertThat((double) s.mislabelledImages()).isCloseTo(0.2 * s.trainImages(), org.assertj.core.data.Offset.offset(1.0));
        List<String> lines = Files.readAllLines(out.resolve("mislabelled.csv"));
        assertThat(lines.get(0)).isEqualTo("file,true_pid,written_pid");
        assertThat(lines).hasSize(1 + s.mislabelledImages());
        Set<Integer> trainIds = ids(names(out.resolve("bounding_box_train")));
        Set<Integer> testIds = ids(names(out.resolve("query")));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertThat(f[0]).startsWith("bounding_box_train/");
            assertThat(out.resolve(f[0])).exists();
            int truePid = Integer.parseInt(f[1]);
            int written = Integer.parseInt(f[2]);
            assertThat(written).isNotEqualTo(truePid);
            assertThat(Integer.parseInt(f[0].substring("bounding_box_train/".length(), "bounding_box_train/".length() + 4)))
                    .isEqualTo(written);
            assertThat(trainIds).contains(written);
            assertThat(testIds).doesNotContain(truePid, written);
        }
        // the clean preset writes no wrong labels
        SynthSummary clean = SyntheticDataset.generate(c.toBuilder().labelNoise(0).build(), tmp.resolve("clean"),
                ProgressListener.NONE);
        assertThat(clean.mislabelledImages()).isZero();
        assertThat(Files.readAllLines(tmp.resolve("clean/mislabelled.csv"))).hasSize(1);
    }

    @Test
    void contactSheetIsAValidPng() throws IOException {
        Path out = tmp.resolve("sheet");
        SyntheticDataset.generate(tiny(), out, ProgressListener.NONE);
        Path png = out.resolve("contact-sheet.png");
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 8);
        assertThat(head).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        BufferedImage sheet = ImageIO.read(png.toFile());
        // 6 identities in rows, 3 cameras in columns of 64-pixel crops, plus labels
        assertThat(sheet.getHeight()).isGreaterThan(6 * 128);
        assertThat(sheet.getWidth()).isGreaterThan(3 * 64);
    }

    @Test
    void progressReachesTheTotal() {
        List<int[]> calls = new ArrayList<>();
        SynthSummary s = SyntheticDataset.generate(tiny(), tmp.resolve("p"), (d, t) -> calls.add(new int[] {d, t}));
        assertThat(calls).isNotEmpty();
        int[] last = calls.get(calls.size() - 1);
        assertThat(last[0]).isEqualTo(last[1]).isEqualTo(s.totalImages());
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i)[0]).isGreaterThan(calls.get(i - 1)[0]);
        }
    }

    @Test
    void refusesANonEmptyOutputDirectory() throws IOException {
        Files.writeString(tmp.resolve("old.txt"), "x");
        assertThatThrownBy(() -> SyntheticDataset.generate(tiny(), tmp, ProgressListener.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not empty");
    }

    @Test
    void badConfigNamesTheField() {
        SynthConfig.Builder b = SynthConfig.builder();
        assertBad(() -> b.identities(1).build(), "identities");
        assertBad(() -> SynthConfig.builder().cameras(1).build(), "cameras");
        assertBad(() -> SynthConfig.builder().cameras(SynthConfig.MAX_CAMERAS + 1).build(), "cameras");
        assertBad(() -> SynthConfig.builder().imagesPerIdentity(3).build(), "imagesPerIdentity");
        assertBad(() -> SynthConfig.builder().labelNoise(-0.1).build(), "labelNoise");
        assertBad(() -> SynthConfig.builder().occlusionRate(1.5).build(), "occlusionRate");
        assertBad(() -> SynthConfig.builder().lookAlikeFraction(Double.NaN).build(), "lookAlikeFraction");
        assertBad(() -> SynthConfig.builder().cameras(3).poorLightCameras(4).build(), "poorLightCameras");
        assertBad(() -> SynthConfig.builder().size(8, 64).build(), "height");
        assertBad(() -> SynthConfig.builder().jpegQuality(0f).build(), "jpegQuality");
        assertBad(() -> SynthConfig.preset("easy"), "preset");
        assertBad(() -> SynthConfig.builder().clutter(1.5).build(), "clutter");
        assertBad(() -> SynthConfig.builder().motionBlurRate(-0.1).build(), "motionBlurRate");
        assertBad(() -> SynthConfig.builder().jpegQuality(0.8f).minJpegQuality(0.9f).build(), "minJpegQuality");
        assertBad(() -> SynthConfig.builder().minJpegQuality(0f).build(), "minJpegQuality");
    }

    @Test
    void presetsDiffer() {
        assertThat(SynthConfig.preset("standard")).isEqualTo(SynthConfig.standard());
        SynthConfig hard = SynthConfig.preset("HARD");
        assertThat(hard.labelNoise()).isPositive();
        assertThat(hard.lookAlikeFraction()).isGreaterThan(SynthConfig.standard().lookAlikeFraction());
        assertThat(hard.poorLightCameras()).isGreaterThan(SynthConfig.standard().poorLightCameras());
    }

    private static void assertBad(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
    }

    private record Name(String file, int pid, int camera, int frame) {
    }

    private static List<Name> names(Path dir) throws IOException {
        List<Name> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                String f = p.getFileName().toString();
                Matcher m = MARKET.matcher(f);
                assertThat(m.matches()).as("Market-1501 name: %s", f).isTrue();
                assertThat(m.group(3)).isEqualTo("1");
                assertThat(m.group(5)).isEqualTo("01");
                out.add(new Name(f, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(4))));
            }
        }
        return out;
    }

    private static Set<Integer> ids(List<Name> names) {
        Set<Integer> ids = new HashSet<>();
        names.forEach(n -> ids.add(n.pid));
        return ids;
    }

    private static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}

package org.reid.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.reid.core.csv.CsvWriter;

/**
 * Generates a synthetic person re-ID dataset in the Market-1501 layout:
 * <pre>
 * OUT/bounding_box_train/  training identities (some files under a wrong id when labelNoise &gt; 0)
 * OUT/query/               one crop per camera of each test identity
 * OUT/bounding_box_test/   the other crops of test identities, plus distractors (0000) and junk (-1)
 * OUT/contact-sheet.png    sample identities x cameras, for people
 * OUT/synth.json           the config, the cameras and the counts
 * OUT/mislabelled.csv      ground truth of the label noise (file, true id, written id); not read by loaders
 * </pre>
 * Output depends only on the config (seed included): identities are rendered in parallel, but
 * each image draws from its own random stream, so the files are byte-identical run after run.
 */
public final class SyntheticDataset {
    /** Bumped whenever a change alters the rendered pixels for a given config. */
    public static final int GENERATOR_VERSION = 1;

    static {
        // rendering needs no display; without this a CLI on a desktop would start an AWT toolkit
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private SyntheticDataset() {
    }

    /**
     * Writes the dataset under {@code out}, which must not exist or be an empty directory.
     *
     * @param listener told of progress, in images (may be {@link ProgressListener#NONE})
     * @return counts per split and the elapsed time
     * @throws IllegalArgumentException when {@code out} holds files
     */
    public static SynthSummary generate(SynthConfig config, Path out, ProgressListener listener) {
        long start = System.nanoTime();
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        DatasetPlan plan = DatasetPlan.of(config); // may reject the config: before anything is written
        prepare(out);
        SceneRenderer renderer = new SceneRenderer(config.height(), config.width());
        int total = plan.totalImages();
        AtomicInteger done = new AtomicInteger();
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
        Object progressLock = new Object();

        int identities = plan.byIdentity.size();
        IntStream.range(0, identities + plan.extras.size()).parallel().forEach(task -> {
            List<DatasetPlan.Item> items = task < identities
                    ? plan.byIdentity.get(task) : List.of(plan.extras.get(task - identities));
            for (DatasetPlan.Item item : items) {
                BufferedImage img = render(config, plan, renderer, item);
                JpegWriter.write(img, jpegQuality(config, item), out.resolve(item.split().folder()).resolve(item.fileName()));
            }
            synchronized (progressLock) { // counted under the lock so the listener sees increasing numbers
                progress.onProgress(done.addAndGet(items.size()), total);
            }
        });

        ContactSheet.write(config, plan, out.resolve("contact-sheet.png"));
        SynthSummary counts = summarise(config, plan, out);
        writeMislabelled(plan, out.resolve("mislabelled.csv"));
        writeDescription(config, plan, counts, out.resolve("synth.json"));
        return counts.withElapsed(Duration.ofNanos(System.nanoTime() - start));
    }

    private static BufferedImage render(SynthConfig config, DatasetPlan plan, SceneRenderer renderer,
                                        DatasetPlan.Item item) {
        CameraProfile camera = plan.cameras[item.camera() - 1];
        return switch (item.kind()) {
            case PERSON -> {
                SplittableRandom rnd = Seeds.random(config.seed(), 10, item.pid(), item.index());
                Shot shot = Shot.sample(camera, config, rnd);
                yield renderer.render(plan.appearances.get(item.pid() - 1), camera, shot, rnd);
            }
            case DISTRACTOR -> renderer.renderDistractor(camera, Seeds.random(config.seed(), 11, item.index()));
            case JUNK -> renderer.renderJunk(camera, Seeds.random(config.seed(), 12, item.index()));
        };
    }

    /** One quality for all, or one drawn per file from its own stream (rendering streams stay as they were). */
    static float jpegQuality(SynthConfig config, DatasetPlan.Item item) {
        if (config.minJpegQuality() == config.jpegQuality()) {
            return config.jpegQuality();
        }
        SplittableRandom rnd = Seeds.random(config.seed(), 13, item.kind().ordinal(), item.pid(), item.index());
        return (float) (config.minJpegQuality() + (config.jpegQuality() - config.minJpegQuality()) * rnd.nextDouble());
    }

    private static void prepare(Path out) {
        if (out == null) {
            throw new IllegalArgumentException("output directory must not be null");
        }
        try {
            if (Files.exists(out)) {
                if (!Files.isDirectory(out)) {
                    throw new IllegalArgumentException("output " + out + " exists and is not a directory");
                }
                try (var entries = Files.list(out)) {
                    if (entries.findAny().isPresent()) {
                        throw new IllegalArgumentException("output directory " + out
                                + " is not empty: refusing to mix a new dataset with old files");
                    }
                }
            }
            for (Split split : Split.values()) {
                Files.createDirectories(out.resolve(split.folder()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out, e);
        }
    }

    private static SynthSummary summarise(SynthConfig config, DatasetPlan plan, Path out) {
        int train = 0;
        int query = 0;
        int gallery = plan.extras.size();
        int mislabelled = 0;
        for (List<DatasetPlan.Item> items : plan.byIdentity) {
            for (DatasetPlan.Item it : items) {
                switch (it.split()) {
                    case TRAIN -> train++;
                    case QUERY -> query++;
                    case GALLERY -> gallery++;
                }
                if (it.mislabelled()) {
                    mislabelled++;
                }
            }
        }
        int junk = (int) plan.extras.stream().filter(i -> i.kind() == DatasetPlan.Kind.JUNK).count();
        return new SynthSummary(out, config.trainIdentities(), config.testIdentities(), train, query, gallery,
                plan.extras.size() - junk, junk, mislabelled, Duration.ZERO);
    }

    private static void writeMislabelled(DatasetPlan plan, Path file) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8); CsvWriter csv = new CsvWriter(w)) {
            csv.row("file", "true_pid", "written_pid");
            for (List<DatasetPlan.Item> items : plan.byIdentity) {
                for (DatasetPlan.Item it : items) {
                    if (it.mislabelled()) {
                        csv.row(it.split().folder() + "/" + it.fileName(), it.pid(), it.writtenPid());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** synth.json: no timings in it, so that it too is identical from run to run. */
    private static void writeDescription(SynthConfig config, DatasetPlan plan, SynthSummary s, Path file) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("generator", "reid-core synthetic pedestrians");
        root.put("generatorVersion", GENERATOR_VERSION);
        root.put("layout", "market1501");
        root.put("config", config);
        List<Map<String, Object>> cams = new ArrayList<>();
        for (CameraProfile c : plan.cameras) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("camera", c.number());
            m.put("usualView", c.usualView().name().toLowerCase());
            m.put("light", round(c.light()));
            m.put("cast", new double[] {round(c.cast()[0]), round(c.cast()[1]), round(c.cast()[2])});
            m.put("resolution", round(c.resolution()));
            m.put("blurPasses", c.blurPasses());
            m.put("noise", round(c.noise()));
            m.put("background", c.background().name().toLowerCase());
            m.put("floorPattern", c.floorPattern().name().toLowerCase());
            m.put("clutter", round(c.clutter()));
            m.put("saturation", round(c.tone().saturation()));
            m.put("gamma", round(c.tone().gamma()));
            m.put("cropScale", new double[] {round(c.framing().scaleMin()),
                    round(c.framing().scaleMin() + c.framing().scaleRange())});
            m.put("cropShift", new double[] {round(c.framing().dxRange()), round(c.framing().dyRange())});
            m.put("randomized", c.randomized());
            m.put("poorLight", c.poorLight());
            m.put("lowRes", c.lowRes());
            cams.add(m);
        }
        root.put("cameras", cams);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("trainIdentities", s.trainIdentities());
        counts.put("testIdentities", s.testIdentities());
        counts.put("trainImages", s.trainImages());
        counts.put("queryImages", s.queryImages());
        counts.put("galleryImages", s.galleryImages());
        counts.put("distractorImages", s.distractorImages());
        counts.put("junkImages", s.junkImages());
        counts.put("mislabelledImages", s.mislabelledImages());
        root.put("counts", counts);
        int groups = (int) plan.appearances.stream().mapToInt(Appearance::lookAlikeGroup).filter(g -> g >= 0)
                .distinct().count();
        root.put("lookAlikeGroups", groups);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}

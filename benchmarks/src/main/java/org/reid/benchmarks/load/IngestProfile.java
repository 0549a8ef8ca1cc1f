package org.reid.benchmarks.load;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the service's ingestion thread spends its time, from a JFR recording of the service: every
 * execution sample (thread in Java) and native-method sample (thread in JNI or a socket read) of the
 * thread named {@code ingestion} is put in the first stage whose marker its stack contains, from
 * the innermost frame outwards. Sample shares approximate wall-time shares of that thread (JFR
 * samples Java and native threads at fixed but different periods, so both kinds are shown).
 *
 * <pre>
 * java -cp benchmarks.jar org.reid.benchmarks.load.IngestProfile RECORDING.jfr [CROPS]
 * </pre>
 */
public final class IngestProfile {
    /** Stage name to a frame marker (class and method prefix); the first stage whose marker is in the stack wins. */
    private static final Map<String, List<String>> STAGES = new LinkedHashMap<>();

    static {
        STAGES.put("preprocessing (reid-core image: pixels, resize, normalise)", List.of("org.reid.core.image."));
        STAGES.put("forward: libtorch kernels (in JNI)", List.of("ai.djl.pytorch.jni."));
        STAGES.put("forward: Java around it (CropEmbedder, DJL blocks)", List.of("org.reid.service.embedding.PredictorPool.embed"));
        STAGES.put("sha256", List.of("org.reid.core.util.Sha256"));
        STAGES.put("image check: decode (ImageIO)", List.of("org.reid.service.image.ImageGuard.check"));
        STAGES.put("threshold calibration at the batch end", List.of("org.reid.service.serving.ThresholdCalibration.calibrate"));
        STAGES.put("index commit at the batch end (flushes the batch)", List.of("org.reid.index.LuceneVectorIndex.commit"));
        STAGES.put("index add", List.of("org.reid.service.gallery.GalleryWriter.index"));
        STAGES.put("PostgreSQL: store entry+embedding (GalleryWriter.store)", List.of("org.reid.service.gallery.GalleryWriter.store"));
        STAGES.put("PostgreSQL: mark item done (IngestItems.finish)", List.of("org.reid.service.gallery.ingest.IngestItems.finish"));
        STAGES.put("PostgreSQL: read staged chunk (IngestItems.pending)", List.of("org.reid.service.gallery.ingest.IngestItems.pending"));
        STAGES.put("PostgreSQL: commit / other transaction work", List.of("org.springframework.transaction"));
    }

    /**
     * Layers of the writer thread's samples: the innermost frame in one of these packages (JDK
     * frames are skipped, so a HashMap in Lucene counts as Lucene).
     */
    private static final Map<String, String> LAYERS = new LinkedHashMap<>();

    static {
        LAYERS.put("org.apache.lucene.", "Lucene (index add, flush, commit)");
        LAYERS.put("org.postgresql.", "PostgreSQL JDBC driver");
        LAYERS.put("com.zaxxer.hikari.", "Hikari connection pool");
        LAYERS.put("org.springframework.", "Spring (JDBC template, transactions)");
        LAYERS.put("org.reid.", "reid code");
    }

    private IngestProfile() {}

    public static void main(String[] args) throws Exception {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        Map<String, Integer> topOther = new LinkedHashMap<>();
        Map<String, Integer> threads = new LinkedHashMap<>();
        Map<String, Integer> writerLayers = new LinkedHashMap<>();
        int crops = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            var thread = e.getThread("sampledThread");
            if (thread == null || thread.getJavaName() == null || !thread.getJavaName().startsWith("ingestion")) {
                continue; // the ingestion thread and its writer ("ingestion-1", "ingestion-writer-1")
            }
            threads.merge(thread.getJavaName(), 1, Integer::sum);
            if (thread.getJavaName().startsWith("ingestion-writer") && type.equals("jdk.ExecutionSample")) {
                writerLayers.merge(layer(e.getStackTrace()), 1, Integer::sum);
            }
            String stage = stage(e.getStackTrace());
            counts.computeIfAbsent(stage, k -> new LinkedHashMap<>()).merge(type, 1, Integer::sum);
            if (stage.equals("other")) {
                topOther.merge(top(e.getStackTrace()), 1, Integer::sum);
            }
        }
        int javaTotal = counts.values().stream().mapToInt(m -> m.getOrDefault("jdk.ExecutionSample", 0)).sum();
        int nativeTotal = counts.values().stream().mapToInt(m -> m.getOrDefault("jdk.NativeMethodSample", 0)).sum();
        System.out.printf("threads: %s%n", threads);
        System.out.printf("%-58s %12s %12s %10s%n", "stage (threads 'ingestion*')", "in Java", "in native",
                crops > 0 ? "ms/crop" : "");
        for (Map.Entry<String, Map<String, Integer>> c : counts.entrySet()) {
            int j = c.getValue().getOrDefault("jdk.ExecutionSample", 0);
            int n = c.getValue().getOrDefault("jdk.NativeMethodSample", 0);
            // JFR's "profile" settings sample threads in Java every 10 ms and threads in native every 20 ms
            // (a thread in native may be waiting, e.g. on PostgreSQL's socket: time, not necessarily CPU).
            String perCrop = crops > 0 ? String.format("%10.2f", (10.0 * j + 20.0 * n) / crops) : "";
            System.out.printf("%-58s %5d %5.1f%% %5d %5.1f%% %s%n", c.getKey(), j, 100.0 * j / Math.max(1, javaTotal),
                    n, 100.0 * n / Math.max(1, nativeTotal), perCrop);
        }
        System.out.printf("%-58s %5d        %5d%n", "samples", javaTotal, nativeTotal);
        topOther.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(8)
                .forEach(t -> System.out.printf("  other, top frame %s: %d%n", t.getKey(), t.getValue()));
        int writerTotal = writerLayers.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("writer thread in Java, by layer (%d samples):%n", writerTotal);
        writerLayers.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .forEach(l -> System.out.printf("  %-40s %5d %5.1f%% %s%n", l.getKey(), l.getValue(),
                        100.0 * l.getValue() / Math.max(1, writerTotal),
                        crops > 0 ? String.format("%.3f ms/crop", 10.0 * l.getValue() / crops) : ""));
    }

    private static String layer(RecordedStackTrace stack) {
        if (stack != null) {
            for (RecordedFrame f : stack.getFrames()) {
                String type = f.getMethod().getType().getName();
                for (Map.Entry<String, String> l : LAYERS.entrySet()) {
                    if (type.startsWith(l.getKey())) {
                        return l.getValue();
                    }
                }
            }
        }
        return "JDK only";
    }

    private static String stage(RecordedStackTrace stack) {
        if (stack == null) {
            return "other";
        }
        for (Map.Entry<String, List<String>> s : STAGES.entrySet()) {
            for (RecordedFrame f : stack.getFrames()) {
                String name = f.getMethod().getType().getName() + "." + f.getMethod().getName();
                if (s.getValue().stream().anyMatch(name::startsWith)) {
                    return s.getKey();
                }
            }
        }
        return "other";
    }

    private static String top(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return "?";
        }
        RecordedFrame f = stack.getFrames().get(0);
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}

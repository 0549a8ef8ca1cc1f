package org.reid.training.cli;

import ai.djl.modality.cv.Image;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reid.core.data.DatasetReaders;
import org.reid.core.data.ReidDataset;
import org.reid.core.data.ReidImage;
import org.reid.core.engine.Embeddings;
import org.reid.core.eval.EmbeddingDistances;
import org.reid.core.eval.KReciprocalReranker;
import org.reid.core.eval.ReidEvaluator;
import org.reid.core.eval.ReidMetrics;
import org.reid.core.image.ImageDecoding;
import org.reid.core.model.Embedder;
import org.reid.core.model.ModelArtifact;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evaluate}: CMC, mAP and mINP of a model artifact on a dataset's query/gallery split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model artifact on a dataset's query/gallery split (Market-1501 protocol).")
public final class EvaluateCommand implements Callable<Integer> {
    private static final int CHUNK = 256;

    @Option(names = "--model", required = true, description = "Model artifact (directory or zip).")
    Path model;

    @Option(names = "--data", required = true, description = "Dataset root.")
    Path data;

    @Option(names = "--layout", defaultValue = "auto")
    String layout;

    @Option(names = "--rerank", description = "k-reciprocal re-ranking (k1 20, k2 6, lambda 0.3).")
    boolean rerank;

    @Option(names = "--out", description = "Write the metrics as JSON here.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(model)) {
            throw new UsageError("--model " + model + " does not exist");
        }
        ReidDataset dataset = DatasetReaders.read(data, layout);
        if (dataset.query().isEmpty() || dataset.gallery().isEmpty()) {
            throw new UsageError(data + ": the dataset has no query/gallery split to evaluate on");
        }
        ReidMetrics m;
        try (Embedder embedder = ModelArtifact.load(model)) {
            float[][] q = embed(embedder, dataset.query(), "query");
            float[][] g = embed(embedder, dataset.gallery(), "gallery");
            int maxRank = Math.min(50, g.length);
            int[] qp = dataset.query().stream().mapToInt(ReidImage::pid).toArray();
            int[] gp = dataset.gallery().stream().mapToInt(ReidImage::pid).toArray();
            int[] qc = dataset.query().stream().mapToInt(ReidImage::camId).toArray();
            int[] gc = dataset.gallery().stream().mapToInt(ReidImage::camId).toArray();
            if (rerank) {
                double[][] qg = distances(q, g);
                m = ReidEvaluator.evaluate(KReciprocalReranker.rerank(qg, distances(q, q), distances(g, g)), qp, gp, qc,
                        gc, maxRank);
            } else {
                m = ReidEvaluator.evaluate(EmbeddingDistances.squaredEuclidean(q, g), qp, gp, qc, gc, maxRank,
                        Runtime.getRuntime().availableProcessors());
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model", model.toString());
        result.put("dataset", dataset.name());
        result.put("rerank", rerank);
        result.put("rank1", m.rank(1));
        result.put("rank5", m.rank(5));
        result.put("rank10", m.rank(10));
        result.put("mAP", m.mAP());
        result.put("mINP", m.mINP());
        result.put("validQueries", m.numValidQueries());
        result.put("cmc", m.cmc());
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
        if (out != null) {
            Files.writeString(out, json);
        }
        System.out.printf("rank-1 %.4f  rank-5 %.4f  rank-10 %.4f  mAP %.4f  mINP %.4f  (%d queries%s)%n", m.rank(1),
                m.rank(5), m.rank(10), m.mAP(), m.mINP(), m.numValidQueries(), rerank ? ", re-ranked" : "");
        return 0;
    }

    /** L2-normalised embeddings, decoded and embedded in chunks so memory stays bounded. */
    private static float[][] embed(Embedder embedder, List<ReidImage> images, String what) throws IOException {
        float[][] out = new float[images.size()][];
        try (ProgressBar bar = ProgressBar.builder("embed " + what).total(images.size()).output(System.err).build()) {
            for (int start = 0; start < images.size(); start += CHUNK) {
                List<Image> chunk = new ArrayList<>();
                for (ReidImage r : images.subList(start, Math.min(images.size(), start + CHUNK))) {
                    chunk.add(ImageDecoding.toDjl(ImageDecoding.decode(r.path())));
                }
                float[][] e = embedder.embed(chunk);
                for (int i = 0; i < e.length; i++) {
                    out[start + i] = normalize(e[i]);
                }
                bar.update(start + e.length, images.size());
            }
        }
        return out;
    }

    private static float[] normalize(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float inv = (float) (1 / Math.max(Math.sqrt(s), 1e-12));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    private static double[][] distances(float[][] a, float[][] b) {
        double[][] d = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                d[i][j] = Embeddings.squaredDistance(a[i], b[j]);
            }
        }
        return d;
    }
}

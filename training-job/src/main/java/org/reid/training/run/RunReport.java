package org.reid.training.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.reid.core.data.ReidDataset;
import org.reid.core.data.ReidImage;
import org.reid.core.engine.Embeddings;
import org.reid.core.eval.ReidMetrics;
import org.reid.training.report.CmcPlot;
import org.reid.training.report.LossPlot;
import org.reid.training.report.MetricsPlot;
import org.reid.training.report.RankedResultsSheet;
import org.reid.training.report.TripletScatterPlot;

/** The pictures of a finished run, in {@code RUN_DIR/plots}. */
final class RunReport {
    private static final int SHEET_QUERIES = 8;
    private static final int SCATTER_PANELS = 4;

    private final Path dir;
    private final RunHistory history;
    private final ReidMetrics test;
    private final String lossName;
    private final ReidDataset dataset;
    private final float[][] queryEmbeddings;
    private final float[][] galleryEmbeddings;

    /** The test embeddings are those the test metrics came from, so nothing is embedded twice. */
    RunReport(Path runDir, RunHistory history, ReidMetrics test, String lossName, ReidDataset dataset,
            float[][] queryEmbeddings, float[][] galleryEmbeddings) {
        this.dir = runDir.resolve("plots");
        this.history = history;
        this.test = test;
        this.lossName = lossName;
        this.dataset = dataset;
        this.queryEmbeddings = queryEmbeddings;
        this.galleryEmbeddings = galleryEmbeddings;
    }

    void write() throws IOException {
        Files.createDirectories(dir);
        List<double[]> steps = history.steps();
        if (!steps.isEmpty()) {
            double[] x = steps.stream().mapToDouble(s -> s[0]).toArray();
            LossPlot loss = new LossPlot("Training loss")
                    .xLabel("step")
                    .skippedZeroLossSteps(steps.stream().filter(s -> s[4] > 0).count())
                    .series("total", x, steps.stream().mapToDouble(s -> s[1]).toArray());
            if (steps.stream().anyMatch(s -> s[3] != 0)) {
                loss.series("metric", x, steps.stream().mapToDouble(s -> s[2]).toArray())
                        .series("identity (CE)", x, steps.stream().mapToDouble(s -> s[3]).toArray());
            }
            loss.write(dir.resolve("loss.png"));
        }
        List<RunHistory.Validation> validations = history.validations();
        if (!validations.isEmpty()) {
            new MetricsPlot("Validation", validations.stream().mapToInt(RunHistory.Validation::epoch).toArray())
                    .rank1(validations.stream().mapToDouble(RunHistory.Validation::rank1).toArray())
                    .mAP(validations.stream().mapToDouble(RunHistory.Validation::mAP).toArray())
                    .mINP(validations.stream().mapToDouble(RunHistory.Validation::mINP).toArray())
                    .write(dir.resolve("validation.png"));
            TripletScatterPlot scatter = new TripletScatterPlot("validation anchors");
            int every = Math.max(1, (validations.size() + SCATTER_PANELS - 1) / SCATTER_PANELS);
            for (int i = 0; i < validations.size(); i++) {
                if (i % every == 0 || i == validations.size() - 1) {
                    RunHistory.Validation v = validations.get(i);
                    scatter.epoch(v.epoch(), v.sAp(), v.sAn());
                }
            }
            scatter.write(dir.resolve("triplet-scatter.png"));
        }
        new CmcPlot("CMC, test split").model(lossName, test.cmc()).write(dir.resolve("cmc.png"));
        rankedSheet();
    }

    /** The first queries of the test split with their top-10 gallery crops. */
    private void rankedSheet() {
        List<Integer> queries = new ArrayList<>();
        int stride = Math.max(1, dataset.query().size() / SHEET_QUERIES);
        for (int i = 0; i < dataset.query().size() && queries.size() < SHEET_QUERIES; i += stride) {
            queries.add(i);
        }
        float[][] g = galleryEmbeddings;
        List<RankedResultsSheet.Row> rows = new ArrayList<>();
        for (int qi : queries) {
            ReidImage query = dataset.query().get(qi);
            float[] q = queryEmbeddings[qi];
            List<Integer> order = new ArrayList<>();
            double[] d = new double[g.length];
            for (int j = 0; j < g.length; j++) {
                ReidImage cand = dataset.gallery().get(j);
                // Market-1501 protocol: the same identity seen by the same camera is not a retrieval.
                if (!(cand.pid() == query.pid() && cand.camId() == query.camId())) {
                    d[j] = Embeddings.squaredDistance(q, g[j]);
                    order.add(j);
                }
            }
            order.sort((a, b) -> Double.compare(d[a], d[b]));
            List<RankedResultsSheet.Match> matches = new ArrayList<>();
            for (int r = 0; r < Math.min(10, order.size()); r++) {
                ReidImage cand = dataset.gallery().get(order.get(r));
                matches.add(RankedResultsSheet.Match.of(cand.path(), cand.pid() == query.pid(),
                        String.format("%d: %.2f", r + 1, d[order.get(r)])));
            }
            rows.add(RankedResultsSheet.Row.of(query.path(), "id " + query.pid() + " c" + (query.camId() + 1), matches));
        }
        new RankedResultsSheet().title("Top-10 of test queries (green: right identity)").write(rows,
                dir.resolve("ranked-results.png"));
    }
}

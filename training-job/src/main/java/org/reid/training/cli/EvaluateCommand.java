package org.reid.training.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.reid.core.data.DatasetReaders;
import org.reid.core.data.ReidDataset;
import org.reid.core.eval.ReidMetrics;
import org.reid.core.model.Embedder;
import org.reid.core.model.Manifest;
import org.reid.core.model.ModelArtifact;
import org.reid.training.console.UsageError;
import org.reid.training.eval.CropEmbeddings;
import org.reid.training.eval.EvaluationReport;
import org.reid.training.eval.EvaluationRow;
import org.reid.training.eval.MarketProtocol;
import org.reid.training.eval.NamedPath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code evaluate}: CMC, mAP and mINP of one or more model artifacts on one or more datasets'
 * query/gallery splits, always under the Market-1501 protocol, as one table (JSON + markdown) and
 * a CMC plot per dataset.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate model artifacts on datasets' query/gallery splits (Market-1501 protocol:"
                + " same-identity same-camera gallery crops are excluded, so only cross-camera matches count).")
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, split = ",", paramLabel = "[NAME=]ARTIFACT",
            description = "Model artifact (directory or zip); repeat it or separate by commas to compare models.")
    List<String> models;

    @Option(names = "--data", required = true, split = ",", paramLabel = "[NAME=]DIR",
            description = "Dataset root with query/ and bounding_box_test/ (train data not needed);"
                    + " repeat it or separate by commas for several datasets.")
    List<String> data;

    @Option(names = "--layout", defaultValue = "auto", description = "Dataset layout of every --data (default: ${DEFAULT-VALUE}).")
    String layout;

    @Option(names = "--rerank", description = "k-reciprocal re-ranking (k1 20, k2 6, lambda 0.3).")
    boolean rerank;

    @Option(names = "--record", description = "Record the results in each model's manifest (its 'generalisation':"
            + " cross-camera metrics on datasets it was not trained on; the registry and the service's Models page show"
            + " them). Only for datasets the model never trained on.")
    boolean record;

    @Option(names = "--out", defaultValue = "evaluation", paramLabel = "DIR",
            description = "Folder for " + EvaluationReport.JSON + ", " + EvaluationReport.MARKDOWN
                    + " and cmc-<dataset>.png (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<NamedPath> modelPaths = NamedPath.parseAll("--model", models);
        List<NamedPath> dataPaths = NamedPath.parseAll("--data", data);
        for (NamedPath m : modelPaths) {
            if (!Files.exists(m.path())) {
                throw new UsageError("--model " + m.path() + " does not exist");
            }
        }
        if (record && rerank) {
            throw new UsageError("--record takes plain (not --rerank) metrics: the manifest states how the model ranks on its own");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageError("--out " + out + " is a file: it names the folder the table and plots go to");
        }
        // Every dataset is read before any model is loaded, so a typo fails in a second, not after an hour.
        List<ReidDataset> datasets = new ArrayList<>();
        for (NamedPath d : dataPaths) {
            datasets.add(read(d));
        }
        EvaluationReport report = new EvaluationReport(rerank);
        String measuredAt = Instant.now().toString();
        for (NamedPath m : modelPaths) {
            List<Manifest.UnseenDataset> measured = new ArrayList<>();
            try (Embedder embedder = ModelArtifact.load(m.path())) {
                for (int i = 0; i < datasets.size(); i++) {
                    NamedPath d = dataPaths.get(i);
                    ReidDataset dataset = datasets.get(i);
                    String label = m.name() + " on " + d.name();
                    float[][] q = CropEmbeddings.embed(embedder, dataset.query(), "query (" + label + ")");
                    float[][] g = CropEmbeddings.embed(embedder, dataset.gallery(), "gallery (" + label + ")");
                    EvaluationRow row = EvaluationRow.of(m.name(), d.name(), dataset, score(d, dataset, q, g));
                    report.add(row, m, d);
                    measured.add(new Manifest.UnseenDataset(d.name(), row.queries(), row.gallery(), row.rank1(), row.rank5(),
                            row.rank10(), row.mAP(), row.mINP(), measuredAt));
                }
            }
            if (record) {
                ModelArtifact.recordGeneralisation(m.path(), measured);
                System.out.println("recorded " + measured.size() + " dataset(s) in the manifest of " + m.path());
            }
        }
        report.write(out);
        System.out.print(report.markdown());
        System.out.println("(Market-1501 protocol, cross-camera" + (rerank ? ", re-ranked" : "") + "; table and CMC"
                + " plots in " + out + ")");
        return 0;
    }

    private ReidDataset read(NamedPath d) {
        if (!Files.isDirectory(d.path())) {
            throw new UsageError("--data " + d.path() + (Files.exists(d.path()) ? " is not a folder" : " does not exist"));
        }
        ReidDataset dataset;
        try {
            dataset = DatasetReaders.readEvaluation(d.path(), layout);
        } catch (IllegalArgumentException e) {
            throw new UsageError("--data " + d.path() + ": " + e.getMessage());
        }
        if (dataset.query().isEmpty() || dataset.gallery().isEmpty()) {
            throw new UsageError("--data " + d.path() + ": the dataset has no query/gallery split to evaluate on ("
                    + dataset.query().size() + " query, " + dataset.gallery().size() + " gallery crops)");
        }
        return dataset;
    }

    private ReidMetrics score(NamedPath d, ReidDataset dataset, float[][] q, float[][] g) {
        try {
            return MarketProtocol.score(dataset.query(), dataset.gallery(), q, g, rerank);
        } catch (IllegalArgumentException e) {
            // the only input error left here: no query has a cross-camera match
            throw new UsageError("--data " + d.path() + ": " + e.getMessage());
        }
    }
}

package org.reid.training.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reid.training.report.CmcPlot;

/**
 * The table of an {@code evaluate} call, rows model x dataset, written to a folder:
 * {@value #JSON} (every number, CMC included), {@value #MARKDOWN} (the table people paste into
 * docs) and one {@code cmc-<dataset>.png} per dataset with one curve per model.
 */
public final class EvaluationReport {
    /** JSON file name. */
    public static final String JSON = "evaluation.json";
    /** Markdown file name. */
    public static final String MARKDOWN = "evaluation.md";
    /** What every row was measured under, stated in the JSON so a reader never has to guess. */
    static final String PROTOCOL = "market1501: a query's gallery crops of the same identity and camera are"
            + " excluded; only queries with a cross-camera match are scored";

    private final List<EvaluationRow> rows = new ArrayList<>();
    private final Map<String, String> dataPaths = new LinkedHashMap<>();
    private final Map<String, String> modelPaths = new LinkedHashMap<>();
    private final boolean rerank;

    public EvaluationReport(boolean rerank) {
        this.rerank = rerank;
    }

    /** Adds a row; {@code model} and {@code data} say where the model and dataset came from. */
    public void add(EvaluationRow row, NamedPath model, NamedPath data) {
        rows.add(row);
        modelPaths.putIfAbsent(row.model(), model.path().toString());
        dataPaths.putIfAbsent(row.dataset(), data.path().toString());
    }

    public List<EvaluationRow> rows() {
        return List.copyOf(rows);
    }

    /** The markdown table: one row per model and dataset, metrics as fractions with 3 decimals. */
    public String markdown() {
        StringBuilder s = new StringBuilder();
        s.append("| model | dataset | #query | #gallery | #identities | rank-1 | rank-5 | rank-10 | mAP | mINP"
                + " | cross-camera (scored/queries) |\n");
        s.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (EvaluationRow r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %s | %s | %s | %s | %s | %d/%d |%n",
                    r.model(), r.dataset(), r.queries(), r.gallery(), r.identities(), f(r.rank1()), f(r.rank5()),
                    f(r.rank10()), f(r.mAP()), f(r.mINP()), r.scoredQueries(), r.queries()));
        }
        return s.toString();
    }

    /** Writes the JSON, the markdown and a CMC plot per dataset into {@code dir} (created). */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Map<String, Object>> jsonRows = new ArrayList<>();
        for (EvaluationRow r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", r.model());
            m.put("dataset", r.dataset());
            m.put("queries", r.queries());
            m.put("gallery", r.gallery());
            m.put("identities", r.identities());
            m.put("crossCamera", true);
            m.put("scoredQueries", r.scoredQueries());
            m.put("rank1", r.rank1());
            m.put("rank5", r.rank5());
            m.put("rank10", r.rank10());
            m.put("mAP", r.mAP());
            m.put("mINP", r.mINP());
            m.put("cmc", r.cmc());
            m.put("cmcPlot", plotName(r.dataset()));
            jsonRows.add(m);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("protocol", PROTOCOL);
        json.put("rerank", rerank);
        json.put("models", modelPaths);
        json.put("datasets", dataPaths);
        json.put("rows", jsonRows);
        Files.writeString(dir.resolve(JSON),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        Files.writeString(dir.resolve(MARKDOWN), markdown());
        for (String dataset : dataPaths.keySet()) {
            CmcPlot plot = new CmcPlot("CMC, " + dataset + " (cross-camera" + (rerank ? ", re-ranked" : "") + ")");
            rows.stream().filter(r -> r.dataset().equals(dataset)).forEach(r -> plot.model(r.model(), r.cmc()));
            plot.write(dir.resolve(plotName(dataset)));
        }
    }

    /** The CMC plot file of a dataset. */
    public static String plotName(String dataset) {
        return "cmc-" + new NamedPath(dataset, Path.of(".")).fileSafeName() + ".png";
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}

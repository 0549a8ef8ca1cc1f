package org.reid.training.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Summarises a grid of finished runs named {@code <loss>-noise<fraction>-s<seed>} (each with a
 * {@code metrics.json}): per-run test rank-1 and mAP, and per (loss, noise) cell the mean and the
 * sample standard deviation over seeds, as a markdown table on stdout and a bar chart per metric.
 * Usage: {@code ExperimentSummary <runs-dir> <out-prefix>} writes {@code <out-prefix>-rank1.png}
 * and {@code <out-prefix>-map.png}. Cells are reported with their n; nothing is extrapolated.
 */
public final class ExperimentSummary {
    private static final Pattern NAME = Pattern.compile("(.+)-noise([0-9.]+)-s(\\d+)");

    private ExperimentSummary() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ExperimentSummary <runs-dir> <out-prefix>");
        }
        Charts.useHeadlessAwt();
        ObjectMapper json = new ObjectMapper();
        // loss -> noise -> [rank1, mAP] per seed
        Map<String, Map<String, List<double[]>>> cells = new TreeMap<>();
        System.out.println("| run | seed | best epoch | test rank-1 | test mAP | last validation mAP |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        List<Path> runs;
        try (Stream<Path> list = Files.list(Path.of(args[0]))) {
            runs = list.filter(p -> Files.exists(p.resolve("metrics.json"))).sorted().toList();
        }
        for (Path run : runs) {
            Matcher m = NAME.matcher(run.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            JsonNode metrics = json.readTree(run.resolve("metrics.json").toFile());
            double rank1 = metrics.get("rank1").asDouble();
            double map = metrics.get("mAP").asDouble();
            JsonNode validation = metrics.get("validation");
            String lastVal = "-";
            if (validation != null && validation.isArray() && validation.size() > 0) {
                lastVal = f(validation.get(validation.size() - 1).path("mAP").asDouble());
            }
            cells.computeIfAbsent(m.group(1), k -> new TreeMap<>()).computeIfAbsent(m.group(2), k -> new ArrayList<>())
                    .add(new double[] {rank1, map});
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", run.getFileName(), m.group(3),
                    metrics.path("bestEpoch").asText(), f(rank1), f(map), lastVal);
        }
        System.out.println();
        System.out.println("| loss | label noise | n | test rank-1 (mean +- std) | test mAP (mean +- std) |");
        System.out.println("| --- | --- | --- | --- | --- |");
        List<String> noises = cells.values().stream().flatMap(c -> c.keySet().stream()).distinct().sorted().toList();
        BarChartPlot rank1Chart = new BarChartPlot("Test rank-1, mean +- std over seeds", labels(noises));
        BarChartPlot mapChart = new BarChartPlot("Test mAP, mean +- std over seeds", labels(noises));
        for (Map.Entry<String, Map<String, List<double[]>>> loss : cells.entrySet()) {
            double[][] stats = new double[4][noises.size()];
            boolean complete = true;
            for (int i = 0; i < noises.size(); i++) {
                List<double[]> v = loss.getValue().getOrDefault(noises.get(i), List.of());
                if (v.isEmpty()) {
                    complete = false;
                    System.out.printf(Locale.ROOT, "| %s | %s | 0 | - | - |%n", loss.getKey(), noises.get(i));
                    continue;
                }
                double[] r = v.stream().mapToDouble(x -> x[0]).toArray();
                double[] a = v.stream().mapToDouble(x -> x[1]).toArray();
                stats[0][i] = mean(r);
                stats[1][i] = std(r);
                stats[2][i] = mean(a);
                stats[3][i] = std(a);
                System.out.printf(Locale.ROOT, "| %s | %s | %d | %s +- %s | %s +- %s |%n", loss.getKey(), noises.get(i),
                        v.size(), f(stats[0][i]), f(stats[1][i]), f(stats[2][i]), f(stats[3][i]));
            }
            // A bar for a cell without runs would read as a score of 0: such a loss is left out of the charts.
            if (complete) {
                rank1Chart.series(loss.getKey(), stats[0], stats[1]);
                mapChart.series(loss.getKey(), stats[2], stats[3]);
            } else {
                System.err.println("left out of the charts (a cell has no runs): " + loss.getKey());
            }
        }
        rank1Chart.yTitle("rank-1 (%)").write(Path.of(args[1] + "-rank1.png"));
        mapChart.yTitle("mAP (%)").write(Path.of(args[1] + "-map.png"));
    }

    private static List<String> labels(List<String> noises) {
        return noises.stream().map(n -> Double.parseDouble(n) == 0 ? "clean labels"
                : Math.round(100 * Double.parseDouble(n)) + "% mislabelled").toList();
    }

    private static double mean(double[] v) {
        return v.length == 0 ? 0 : java.util.Arrays.stream(v).average().orElse(0);
    }

    /** Sample standard deviation (n - 1); 0 for fewer than two runs. */
    private static double std(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        return Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}

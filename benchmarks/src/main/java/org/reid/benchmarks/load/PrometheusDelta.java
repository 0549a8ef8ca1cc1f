package org.reid.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a histogram metric did between two scrapes of {@code /actuator/prometheus}: count, mean and
 * p50/p99 (upper bucket bound where the quantile falls) of the observations made in between, per
 * label set other than {@code le}. Only works for meters with a percentile histogram (the service's
 * reid_* timers and summaries have one).
 *
 * <pre>
 * java -cp benchmarks.jar org.reid.benchmarks.load.PrometheusDelta BEFORE.txt AFTER.txt METRIC [METRIC...]
 * </pre>
 * METRIC is a base name, e.g. {@code reid_search_latency_seconds} or {@code reid_embed_batch_size}.
 */
public final class PrometheusDelta {
    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LE = Pattern.compile(",?le=\"([^\"]*)\"");

    private PrometheusDelta() {}

    public static void main(String[] args) throws IOException {
        Map<String, Double> before = parse(Path.of(args[0]));
        Map<String, Double> after = parse(Path.of(args[1]));
        for (int i = 2; i < args.length; i++) {
            report(args[i], before, after);
        }
    }

    private static void report(String metric, Map<String, Double> before, Map<String, Double> after) {
        Map<String, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : after.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(metric + "_bucket{")) {
                continue;
            }
            String labels = key.substring(key.indexOf('{') + 1, key.length() - 1);
            Matcher le = LE.matcher(labels);
            if (!le.find()) {
                continue;
            }
            double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
            String series = le.replaceFirst("").replaceFirst("^,", "");
            double delta = e.getValue() - before.getOrDefault(key, 0.0);
            buckets.computeIfAbsent(series, k -> new TreeMap<>()).put(bound, delta);
        }
        for (Map.Entry<String, TreeMap<Double, Double>> s : buckets.entrySet()) {
            String series = s.getKey();
            String suffix = series.isEmpty() ? "" : "{" + series + "}";
            double count = delta(metric + "_count" + suffix, before, after);
            double sum = delta(metric + "_sum" + suffix, before, after);
            if (count <= 0) {
                continue;
            }
            System.out.printf("%s{%s} count=%.0f mean=%s p50<=%s p99<=%s%n", metric, series, count,
                    fmt(sum / count), fmt(quantile(s.getValue(), count, 0.50)), fmt(quantile(s.getValue(), count, 0.99)));
        }
    }

    /** The smallest bucket bound holding at least q of the observations (buckets are cumulative). */
    private static double quantile(TreeMap<Double, Double> cumulative, double count, double q) {
        for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
            if (b.getValue() >= q * count) {
                return b.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    private static double delta(String key, Map<String, Double> before, Map<String, Double> after) {
        return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 100 || v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.4g", v);
    }

    private static Map<String, Double> parse(Path file) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        for (String line : lines) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line.trim());
            if (m.matches()) {
                String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
                out.put(key, Double.parseDouble(m.group(4).replace("+Inf", "Infinity")));
            }
        }
        return out;
    }
}

package org.reid.training.report;

import java.awt.BasicStroke;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Cumulative matching characteristic curves (rank-k accuracy for k = 1..N) of one or several
 * models as PNG, one legend entry per model with its rank-1.
 *
 * <pre>{@code
 * new CmcPlot("CMC, Market-1501").maxRank(20)
 *     .model("MVP r50 v3", cmcV3)          // cmc[k - 1] = rank-k accuracy
 *     .model("batch-hard r50 v2", cmcV2)
 *     .write(runDir.resolve("cmc.png"));
 * }</pre>
 */
public final class CmcPlot {

    private static final double TOLERANCE = 1e-9;

    private final String title;
    private final List<SeriesData> models = new ArrayList<>();
    private int maxRank = 20;
    private int width = 900;
    private int height = 600;

    public CmcPlot(String title) {
        this.title = title == null ? "" : title;
    }

    /**
     * Adds a model's CMC: {@code cmc[k - 1]} is the fraction of queries with a correct match in
     * the top k. Values must be finite, in [0, 1] and non-decreasing (a CMC cannot fall).
     */
    public CmcPlot model(String name, double[] cmc) {
        if (cmc == null || cmc.length == 0) {
            throw new IllegalArgumentException("CMC plot: model '" + name + "' has an empty CMC");
        }
        for (int k = 0; k < cmc.length; k++) {
            double v = cmc[k];
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("CMC plot: model '" + name + "' rank-" + (k + 1)
                        + " = " + v + " is not a fraction in [0, 1]");
            }
            if (k > 0 && v < cmc[k - 1] - TOLERANCE) {
                throw new IllegalArgumentException("CMC plot: model '" + name + "' rank-" + (k + 1)
                        + " = " + v + " is below rank-" + k + " = " + cmc[k - 1] + " (a CMC never decreases)");
            }
        }
        SeriesData s = SeriesData.of("CMC plot", name, SeriesData.oneBased(cmc.length), cmc);
        if (models.stream().anyMatch(m -> m.name().equals(s.name()))) {
            throw new IllegalArgumentException("CMC plot: model '" + name + "' given twice");
        }
        models.add(s);
        return this;
    }

    /** Highest rank drawn (default 20); longer CMCs are cut there. */
    public CmcPlot maxRank(int maxRank) {
        if (maxRank < 1) {
            throw new IllegalArgumentException("CMC plot: maxRank must be >= 1, was " + maxRank);
        }
        this.maxRank = maxRank;
        return this;
    }

    public CmcPlot size(int width, int height) {
        Charts.requireSize(width, height);
        this.width = width;
        this.height = height;
        return this;
    }

    public BufferedImage render() {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("CMC plot '" + title + "' has no model");
        }
        XYChart chart = Charts.xyChart(width, height, title, "rank", "matching rate (%)");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setYAxisTickLabelsFormattingFunction(v -> String.format("%.0f", 100 * v));
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setMarkerSize(7);
        int longest = 1;
        double lo = 1;
        for (int i = 0; i < models.size(); i++) {
            SeriesData m = models.get(i);
            int n = Math.min(maxRank, m.y().length);
            longest = Math.max(longest, n);
            double[] y = Arrays.copyOf(m.y(), n);
            lo = Math.min(lo, y[0]);
            XYSeries s = chart.addSeries(m.name() + " (rank-1 " + Charts.percent(y[0]) + ")",
                    Arrays.copyOf(m.x(), n), y);
            s.setMarker(n <= 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            s.setLineStyle(new BasicStroke(2.2f));
            s.setLineColor(Charts.PALETTE[i % Charts.PALETTE.length]);
            s.setMarkerColor(Charts.PALETTE[i % Charts.PALETTE.length]);
        }
        chart.getStyler().setXAxisMin(1.0).setXAxisMax((double) Math.max(2, longest));
        chart.getStyler().setYAxisMin(Math.max(0, Math.floor((lo - 0.02) * 10) / 10)).setYAxisMax(1.0);
        return BitmapEncoder.getBufferedImage(chart);
    }

    public void write(Path png) {
        Charts.writePng(render(), png);
    }
}

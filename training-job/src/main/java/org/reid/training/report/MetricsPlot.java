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
 * Retrieval metrics per evaluation epoch (rank-1, mAP, mINP, ...) as PNG. Values are fractions in
 * [0, 1], drawn as percentages; the legend gives each metric's best value and its epoch.
 *
 * <pre>{@code
 * new MetricsPlot("Market-1501 query/gallery", new int[] {5, 10, 15})
 *     .rank1(new double[] {0.61, 0.78, 0.84})
 *     .mAP(new double[] {0.35, 0.52, 0.60})
 *     .write(runDir.resolve("metrics.png"));
 * }</pre>
 *
 * A NaN value (an evaluation that did not run) is left out; a value outside [0, 1] is refused,
 * since it is almost always a percentage passed by mistake.
 */
public final class MetricsPlot {

    private final String title;
    private final double[] epochs;
    private final List<SeriesData> metrics = new ArrayList<>();
    private int width = 1000;
    private int height = 600;

    /** @param epochs the epochs at which the model was evaluated, increasing */
    public MetricsPlot(String title, int[] epochs) {
        this.title = title == null ? "" : title;
        this.epochs = SeriesData.toDouble(epochs, "metrics plot epochs");
        if (this.epochs.length == 0) {
            throw new IllegalArgumentException("metrics plot: no evaluation epochs");
        }
        for (int i = 1; i < epochs.length; i++) {
            if (epochs[i] <= epochs[i - 1]) {
                throw new IllegalArgumentException("metrics plot: epochs must increase, but epochs["
                        + i + "]=" + epochs[i] + " follows " + epochs[i - 1]);
            }
        }
    }

    public MetricsPlot rank1(double[] values) {
        return metric("rank-1", values);
    }

    public MetricsPlot mAP(double[] values) {
        return metric("mAP", values);
    }

    public MetricsPlot mINP(double[] values) {
        return metric("mINP", values);
    }

    /** Adds a metric with one value (a fraction in [0, 1]) per evaluation epoch. */
    public MetricsPlot metric(String name, double[] values) {
        SeriesData s = SeriesData.of("metrics plot", name, epochs, values);
        for (int i = 0; i < s.y().length; i++) {
            double v = s.y()[i];
            if (v < 0 || v > 1) {
                throw new IllegalArgumentException("metrics plot: " + name + " = " + v + " at epoch "
                        + (long) s.x()[i] + " is outside [0, 1] (pass fractions, not percentages)");
            }
        }
        if (metrics.stream().anyMatch(m -> m.name().equals(name))) {
            throw new IllegalArgumentException("metrics plot: metric '" + name + "' given twice");
        }
        metrics.add(s);
        return this;
    }

    public MetricsPlot size(int width, int height) {
        Charts.requireSize(width, height);
        this.width = width;
        this.height = height;
        return this;
    }

    public BufferedImage render() {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("metrics plot '" + title + "' has no metric");
        }
        XYChart chart = Charts.xyChart(width, height, title, "epoch", "%");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setYAxisTickLabelsFormattingFunction(v -> String.format("%.0f", 100 * v));
        chart.getStyler().setMarkerSize(8);
        double lo = metrics.stream().flatMapToDouble(m -> Arrays.stream(m.y())).min().orElse(0);
        double hi = metrics.stream().flatMapToDouble(m -> Arrays.stream(m.y())).max().orElse(1);
        // Whole tenths around the data, so close curves late in training are not squashed flat.
        chart.getStyler().setYAxisMin(Math.max(0, Math.floor((lo - 0.02) * 10) / 10));
        chart.getStyler().setYAxisMax(Math.min(1, Math.ceil((hi + 0.02) * 10) / 10));
        if (epochs.length == 1) {
            chart.getStyler().setXAxisMin(epochs[0] - 1).setXAxisMax(epochs[0] + 1);
        }
        chart.getStyler().setXAxisDecimalPattern("#");
        for (int i = 0; i < metrics.size(); i++) {
            SeriesData m = metrics.get(i);
            XYSeries s = chart.addSeries(legend(m), m.x(), m.y());
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineStyle(new BasicStroke(2.2f));
            s.setLineColor(Charts.PALETTE[i % Charts.PALETTE.length]);
            s.setMarkerColor(Charts.PALETTE[i % Charts.PALETTE.length]);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    public void write(Path png) {
        Charts.writePng(render(), png);
    }

    /** "rank-1 (best 84.0% @ 15)"; the last best wins a tie, as a checkpoint would be kept. */
    private static String legend(SeriesData m) {
        int best = 0;
        for (int i = 1; i < m.y().length; i++) {
            if (m.y()[i] >= m.y()[best]) {
                best = i;
            }
        }
        return m.name() + " (best " + Charts.percent(m.y()[best]) + " @ " + (long) m.x()[best] + ")";
    }
}

package org.reid.training.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Loss curve(s) of a training run as PNG: each named series (e.g. metric loss, ID loss, total)
 * drawn as its raw values in a light line plus an exponentially smoothed line on top, against
 * step or epoch.
 *
 * <pre>{@code
 * new LossPlot("MVP loss, Market-1501")
 *     .series("total", steps, totalLoss)
 *     .series("ID (cross-entropy)", steps, idLoss)
 *     .skippedZeroLossSteps(37)
 *     .write(runDir.resolve("loss.png"));
 * }</pre>
 *
 * NaN or infinite loss values are left out of the curve (and counted in the title), so a run
 * that diverged can still be looked at.
 */
public final class LossPlot {

    private final String title;
    private final List<SeriesData> series = new ArrayList<>();
    private String xLabel = "step";
    private String yLabel = "loss";
    private double smoothing = 0.9;
    private boolean logScale;
    private long skippedZeroLossSteps = -1;
    private int width = 1000;
    private int height = 600;

    /** @param title the chart title, e.g. the loss name and data set */
    public LossPlot(String title) {
        this.title = title == null ? "" : title;
    }

    /** Adds a series whose x values are 1, 2, ..., n (step or epoch numbers). */
    public LossPlot series(String name, double[] values) {
        return series(name, values == null ? null : SeriesData.oneBased(values.length), values);
    }

    /** Adds a series with explicit x values (global step or fractional epoch), same length as y. */
    public LossPlot series(String name, double[] x, double[] y) {
        SeriesData s = SeriesData.of("loss plot", name, x, y);
        if (series.stream().anyMatch(o -> o.name().equals(s.name()))) {
            throw new IllegalArgumentException("loss plot: series '" + name + "' given twice");
        }
        series.add(s);
        return this;
    }

    /** Label of the x axis: "step" (default) or "epoch". */
    public LossPlot xLabel(String label) {
        this.xLabel = label;
        return this;
    }

    public LossPlot yLabel(String label) {
        this.yLabel = label;
        return this;
    }

    /**
     * Weight of the exponential moving average drawn over the raw values, in [0, 1); 0 draws the
     * raw values only. Default 0.9 (about the last 10 points).
     */
    public LossPlot smoothing(double weight) {
        if (!(weight >= 0 && weight < 1)) {
            throw new IllegalArgumentException("smoothing weight must be in [0, 1), was " + weight);
        }
        this.smoothing = weight;
        return this;
    }

    /** Logarithmic loss axis; values <= 0 cannot be drawn on it and are left out. */
    public LossPlot logScale(boolean log) {
        this.logScale = log;
        return this;
    }

    /** Number of steps the trainer skipped because their loss was exactly zero (shown in the title). */
    public LossPlot skippedZeroLossSteps(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("skipped zero-loss steps must be >= 0, was " + count);
        }
        this.skippedZeroLossSteps = count;
        return this;
    }

    public LossPlot size(int width, int height) {
        Charts.requireSize(width, height);
        this.width = width;
        this.height = height;
        return this;
    }

    public BufferedImage render() {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("loss plot '" + title + "' has no series");
        }
        List<SeriesData> drawn = logScale ? series.stream().map(LossPlot::positiveOnly).toList() : series;
        // Notes go under the x axis: the title line is too short for them on narrow plots.
        XYChart chart = Charts.xyChart(width, height, title, xLabel + notes(drawn), yLabel);
        chart.getStyler().setYAxisLogarithmic(logScale);
        chart.getStyler().setXAxisDecimalPattern("#");
        if (drawn.stream().allMatch(d -> d.x()[0] >= 0 && d.x()[0] <= 1)) {
            chart.getStyler().setXAxisMin(0.0);
        }
        breakEqualSpacing(chart, drawn.get(0));
        chart.getStyler().setLegendVisible(drawn.size() > 1);
        for (int i = 0; i < drawn.size(); i++) {
            SeriesData s = drawn.get(i);
            Color color = Charts.PALETTE[i % Charts.PALETTE.length];
            boolean smooth = smoothing > 0 && s.y().length > 2;
            XYSeries raw = chart.addSeries(smooth ? s.name() + " (raw)" : s.name(), s.x(), s.y());
            // Few points (per-epoch loss, a short run) get dots: a lone point has no line to show.
            raw.setMarker(!smooth && s.y().length <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            raw.setMarkerColor(color);
            raw.setLineColor(smooth ? Charts.withAlpha(color, 70) : color);
            raw.setLineStyle(new BasicStroke(smooth ? 1f : 2f));
            raw.setShowInLegend(!smooth);
            if (smooth) {
                XYSeries line = chart.addSeries(s.name(), s.x(), ema(s.y(), smoothing));
                line.setMarker(SeriesMarkers.NONE);
                line.setLineColor(color);
                line.setLineStyle(new BasicStroke(2.2f));
            }
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Renders and writes the PNG, creating parent folders. */
    public void write(Path png) {
        Charts.writePng(render(), png);
    }

    private String notes(List<SeriesData> drawn) {
        List<String> notes = new ArrayList<>();
        if (skippedZeroLossSteps >= 0) {
            notes.add(skippedZeroLossSteps + " zero-loss steps skipped");
        }
        int leftOut = drawn.stream().mapToInt(SeriesData::leftOut).sum();
        if (leftOut > 0) {
            notes.add(leftOut + (logScale ? " NaN/inf/non-positive" : " NaN/inf") + " values not drawn");
        }
        return notes.isEmpty() ? "" : "      (" + String.join(", ", notes) + ")";
    }

    /**
     * XChart puts the ticks of equally spaced x values (steps 1, 2, 3, ...) on data points, which
     * gives labels like 1, 274, 547, ...; one invisible point off that grid makes it choose round
     * tick values instead. The point repeats a real y value, so the y range does not change.
     */
    private static void breakEqualSpacing(XYChart chart, SeriesData first) {
        double[] x = first.x();
        double gap = x.length > 1 && x[1] != x[0] ? x[1] - x[0] : 1;
        XYSeries pad = chart.addSeries(" ", new double[] {x[0] + 0.381966 * gap}, new double[] {first.y()[0]});
        pad.setMarker(SeriesMarkers.NONE);
        pad.setLineColor(new Color(0, 0, 0, 0));
        pad.setShowInLegend(false);
    }

    /** The series without values <= 0, which a log axis cannot show. */
    private static SeriesData positiveOnly(SeriesData s) {
        int n = (int) java.util.Arrays.stream(s.y()).filter(v -> v > 0).count();
        if (n == 0) {
            throw new IllegalArgumentException("loss plot series '" + s.name()
                    + "' has no positive value to draw on a log scale");
        }
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0, k = 0; i < s.y().length; i++) {
            if (s.y()[i] > 0) {
                x[k] = s.x()[i];
                y[k++] = s.y()[i];
            }
        }
        return new SeriesData(s.name(), x, y, s.leftOut() + s.y().length - n);
    }

    /**
     * Exponential moving average with bias correction (as TensorBoard draws it), so the first
     * points are not pulled toward zero.
     */
    static double[] ema(double[] y, double weight) {
        double[] out = new double[y.length];
        double avg = 0;
        double norm = 0;
        for (int i = 0; i < y.length; i++) {
            avg = weight * avg + (1 - weight) * y[i];
            norm = weight * norm + (1 - weight);
            out[i] = avg / norm;
        }
        return out;
    }
}

package org.reid.training.report;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * Grouped bars with error bars (e.g. mean +- std over seeds of rank-1 per experiment cell) as PNG.
 * Values are fractions in [0, 1], drawn as percentages.
 *
 * <pre>{@code
 * new BarChartPlot("rank-1 on hard", List.of("clean", "20% noise"))
 *     .series("batch-hard", new double[] {0.35, 0.30}, new double[] {0.02, 0.03})
 *     .write(Path.of("bars.png"));
 * }</pre>
 */
public final class BarChartPlot {

    private record Series(String name, double[] means, double[] errors) {}

    private final String title;
    private final List<String> categories;
    private final List<Series> series = new ArrayList<>();
    private String yTitle = "%";

    public BarChartPlot(String title, List<String> categories) {
        if (categories == null || categories.isEmpty()) {
            throw new IllegalArgumentException("bar chart: no categories");
        }
        this.title = title == null ? "" : title;
        this.categories = List.copyOf(categories);
    }

    public BarChartPlot yTitle(String text) {
        this.yTitle = text;
        return this;
    }

    /** One bar per category: {@code means[i]} with error bar {@code errors[i]} (fractions in [0, 1]). */
    public BarChartPlot series(String name, double[] means, double[] errors) {
        if (means.length != categories.size() || errors.length != categories.size()) {
            throw new IllegalArgumentException("bar chart: series '" + name + "' has " + means.length + " means and "
                    + errors.length + " errors for " + categories.size() + " categories");
        }
        for (int i = 0; i < means.length; i++) {
            if (!(means[i] >= 0 && means[i] <= 1) || !(errors[i] >= 0 && errors[i] <= 1)) {
                throw new IllegalArgumentException("bar chart: series '" + name + "' value " + means[i] + " +- "
                        + errors[i] + " at '" + categories.get(i) + "' is outside [0, 1] (pass fractions)");
            }
        }
        series.add(new Series(name, means.clone(), errors.clone()));
        return this;
    }

    public BufferedImage render() {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("bar chart: no series");
        }
        CategoryChart chart = new CategoryChartBuilder().width(900).height(560).title(title).yAxisTitle(yTitle).build();
        CategoryStyler s = chart.getStyler();
        s.setChartBackgroundColor(java.awt.Color.WHITE);
        s.setPlotBackgroundColor(java.awt.Color.WHITE);
        s.setPlotGridLinesColor(new java.awt.Color(225, 225, 225));
        s.setChartTitleFont(Charts.TITLE_FONT);
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(Charts.AXIS_TITLE_FONT);
        s.setAxisTickLabelsFont(Charts.TICK_FONT);
        s.setLegendFont(Charts.LEGEND_FONT);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setSeriesColors(Charts.PALETTE);
        s.setErrorBarsColor(java.awt.Color.BLACK);
        s.setYAxisMin(0.0);
        s.setYAxisMax(100.0);
        s.setAntiAlias(true);
        for (Series x : series) {
            chart.addSeries(x.name(), categories, percent(x.means()), percent(x.errors()));
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    public void write(Path png) {
        Charts.writePng(render(), png);
    }

    private static List<Double> percent(double[] v) {
        return Arrays.stream(v).map(x -> 100 * x).boxed().toList();
    }
}

package org.reid.training.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The triplet scatter diagram of Xuan et al. ("Hard negative examples are hard, but useful",
 * papers/extreme-triplet-ephn-2nd-order.txt, section 3): each anchor's triplet is a point
 * (S_ap, S_an) of cosine similarities, anchor-positive on x and anchor-negative on y. Points below
 * the diagonal S_an = S_ap are triplets already in the right order (blue), points on or above it
 * are violated (red). Watching the cloud over epochs shows whether training pulls triplets toward
 * the ideal corner (1, 0) or collapses them toward (1, 1).
 *
 * <pre>{@code
 * new TripletScatterPlot("EPHN, 2nd order")
 *     .epoch(0, sAp0, sAn0)      // per anchor: hardest positive and hardest negative similarity
 *     .epoch(10, sAp10, sAn10)
 *     .write(runDir.resolve("triplet-scatter.png"));
 * }</pre>
 *
 * Side by side (default) draws one square panel per epoch; {@link #overlaid()} draws all epochs in
 * one panel, coloured by epoch. The axes span [0, 1] (the paper's Omega_s) when every similarity
 * is >= 0, else [-1, 1].
 */
public final class TripletScatterPlot {

    /** Similarities a little beyond +-1 come from float rounding of normalised vectors. */
    private static final double SLACK = 1e-4;
    static final Color SATISFIED = new Color(0, 90, 200);
    static final Color VIOLATED = new Color(215, 25, 28);

    private record Epoch(String label, double[] sAp, double[] sAn, int satisfied) {}

    private final String title;
    private final List<Epoch> epochs = new ArrayList<>();
    private boolean overlaid;
    private boolean fullRange;
    private int panelSize = 440;
    private int maxColumns = 5;

    public TripletScatterPlot(String title) {
        this.title = title == null ? "" : title;
    }

    /** Adds one epoch's triplets: {@code sAp[i]} and {@code sAn[i]} belong to anchor i. */
    public TripletScatterPlot epoch(int epoch, double[] sAp, double[] sAn) {
        return epoch("epoch " + epoch, sAp, sAn);
    }

    /** Adds one panel (or colour) with a free label, e.g. "ImageNet init". */
    public TripletScatterPlot epoch(String label, double[] sAp, double[] sAn) {
        String what = "triplet scatter '" + label + "'";
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("triplet scatter: epoch label is blank");
        }
        if (sAp == null || sAn == null) {
            throw new IllegalArgumentException(what + ": sAp or sAn is null");
        }
        if (sAp.length != sAn.length) {
            throw new IllegalArgumentException(what + ": sAp has " + sAp.length + " values but sAn has "
                    + sAn.length + " (one pair per anchor)");
        }
        if (sAp.length == 0) {
            throw new IllegalArgumentException(what + ": no triplets");
        }
        int satisfied = 0;
        for (int i = 0; i < sAp.length; i++) {
            checkSimilarity(what, "sAp", i, sAp[i]);
            checkSimilarity(what, "sAn", i, sAn[i]);
            if (sAp[i] > sAn[i]) {
                satisfied++;
            }
        }
        if (epochs.stream().anyMatch(e -> e.label().equals(label))) {
            throw new IllegalArgumentException(what + " given twice");
        }
        epochs.add(new Epoch(label, sAp.clone(), sAn.clone(), satisfied));
        return this;
    }

    private static void checkSimilarity(String what, String name, int i, double v) {
        if (!(v >= -1 - SLACK && v <= 1 + SLACK)) {
            throw new IllegalArgumentException(what + ": " + name + "[" + i + "] = " + v
                    + " is not a cosine similarity in [-1, 1]");
        }
    }

    /** All epochs in one panel, coloured by epoch, instead of one panel each. */
    public TripletScatterPlot overlaid() {
        this.overlaid = true;
        return this;
    }

    /** Always span [-1, 1], even when all similarities are positive. */
    public TripletScatterPlot fullRange() {
        this.fullRange = true;
        return this;
    }

    /** Side length of one square panel in pixels (default 440). */
    public TripletScatterPlot panelSize(int px) {
        Charts.requireSize(px, px);
        this.panelSize = px;
        return this;
    }

    /** Panels per row before wrapping (default 5). */
    public TripletScatterPlot maxColumns(int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("triplet scatter: maxColumns must be >= 1, was " + columns);
        }
        this.maxColumns = columns;
        return this;
    }

    public BufferedImage render() {
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("triplet scatter '" + title + "' has no epoch");
        }
        double lo = fullRange || anyNegative() ? -1 : 0;
        if (overlaid) {
            XYChart chart = panel(panelSize + 230, panelSize + 40, title, lo);
            chart.getStyler().setLegendVisible(true);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            for (int i = 0; i < epochs.size(); i++) {
                Epoch e = epochs.get(i);
                Color c = sequential(epochs.size() == 1 ? 0 : i / (double) (epochs.size() - 1));
                XYSeries s = chart.addSeries(e.label() + " (" + Charts.percent(satisfiedShare(e)) + " ok)", e.sAp(), e.sAn());
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(Charts.withAlpha(c, alphaFor(e.sAp().length)));
            }
            return BitmapEncoder.getBufferedImage(chart);
        }
        List<BufferedImage> panels = new ArrayList<>();
        for (Epoch e : epochs) {
            XYChart chart = panel(panelSize, panelSize,
                    e.label() + ": " + Charts.percent(satisfiedShare(e)) + " satisfied (n=" + e.sAp().length + ")", lo);
            addSplitByOrder(chart, e);
            panels.add(BitmapEncoder.getBufferedImage(chart));
        }
        return tile(panels);
    }

    public void write(Path png) {
        Charts.writePng(render(), png);
    }

    private boolean anyNegative() {
        for (Epoch e : epochs) {
            for (int i = 0; i < e.sAp().length; i++) {
                if (e.sAp()[i] < 0 || e.sAn()[i] < 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static double satisfiedShare(Epoch e) {
        return (double) e.satisfied() / e.sAp().length;
    }

    /** A square panel with the two shaded half-planes, the diagonal and region names. */
    private XYChart panel(int width, int height, String panelTitle, double lo) {
        XYChart chart = Charts.xyChart(width, height, panelTitle, "S_ap (anchor-positive)", "S_an (anchor-negative)");
        var st = chart.getStyler();
        st.setLegendVisible(false);
        st.setXAxisMin(lo).setXAxisMax(1.0).setYAxisMin(lo).setYAxisMax(1.0);
        st.setChartTitleFont(Charts.AXIS_TITLE_FONT.deriveFont(java.awt.Font.BOLD));
        st.setMarkerSize(epochs.stream().mapToInt(e -> e.sAp().length).max().orElse(0) > 2000 ? 3 : 5);
        st.setAnnotationTextFont(Charts.TICK_FONT.deriveFont(java.awt.Font.ITALIC));
        st.setAnnotationTextFontColor(new Color(90, 90, 90));
        XYSeries above = chart.addSeries("violated region", new double[] {lo, lo, 1}, new double[] {lo, 1, 1});
        above.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        above.setFillColor(Charts.withAlpha(VIOLATED, 22));
        above.setLineColor(Charts.withAlpha(VIOLATED, 0));
        above.setMarker(SeriesMarkers.NONE);
        XYSeries below = chart.addSeries("satisfied region", new double[] {lo, 1, 1}, new double[] {lo, lo, 1});
        below.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        below.setFillColor(Charts.withAlpha(SATISFIED, 18));
        below.setLineColor(Charts.withAlpha(SATISFIED, 0));
        below.setMarker(SeriesMarkers.NONE);
        XYSeries diagonal = chart.addSeries("S_an = S_ap", new double[] {lo, 1}, new double[] {lo, 1});
        diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineColor(new Color(70, 70, 70));
        diagonal.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        double span = 1 - lo;
        chart.addAnnotation(new AnnotationText("violated", lo + 0.14 * span, lo + 0.94 * span, false));
        chart.addAnnotation(new AnnotationText("satisfied", lo + 0.30 * span, lo + 0.06 * span, false));
        return chart;
    }

    private void addSplitByOrder(XYChart chart, Epoch e) {
        int n = e.sAp().length;
        double[][] ok = new double[2][e.satisfied()];
        double[][] bad = new double[2][n - e.satisfied()];
        for (int i = 0, a = 0, b = 0; i < n; i++) {
            if (e.sAp()[i] > e.sAn()[i]) {
                ok[0][a] = e.sAp()[i];
                ok[1][a++] = e.sAn()[i];
            } else {
                bad[0][b] = e.sAp()[i];
                bad[1][b++] = e.sAn()[i];
            }
        }
        int alpha = alphaFor(n);
        // XChart refuses an empty series, so an all-satisfied (or all-violated) epoch adds one kind.
        if (ok[0].length > 0) {
            XYSeries s = chart.addSeries("S_ap > S_an", ok[0], ok[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(Charts.withAlpha(SATISFIED, alpha));
        }
        if (bad[0].length > 0) {
            XYSeries s = chart.addSeries("S_an >= S_ap", bad[0], bad[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(Charts.withAlpha(VIOLATED, alpha));
        }
    }

    /**
     * Colour for position t in [0, 1] along a viridis-like ramp (dark purple to yellow-green), so
     * epoch order reads as colour order and no epoch takes the blue/red of right/wrong order.
     */
    static Color sequential(double t) {
        int[][] stops = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {190, 210, 40}};
        double pos = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int k = Math.min(stops.length - 2, (int) pos);
        double f = pos - k;
        int[] c = new int[3];
        for (int j = 0; j < 3; j++) {
            c[j] = (int) Math.round(stops[k][j] + f * (stops[k + 1][j] - stops[k][j]));
        }
        return new Color(c[0], c[1], c[2]);
    }

    /** Translucent dots for dense clouds, so the density still shows. */
    private static int alphaFor(int n) {
        return n > 5000 ? 60 : n > 1000 ? 110 : 180;
    }

    /** Panels on a grid under a header with the title and the colour key. */
    private BufferedImage tile(List<BufferedImage> panels) {
        int columns = Math.min(maxColumns, panels.size());
        int rows = (panels.size() + columns - 1) / columns;
        int header = 64;
        BufferedImage out = new BufferedImage(columns * panelSize, header + rows * panelSize, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(Charts.TITLE_FONT);
            FontMetrics fm = g.getFontMetrics();
            String heading = title.isEmpty() ? "Triplet scatter diagram" : "Triplet scatter diagram: " + title;
            g.drawString(heading, (out.getWidth() - fm.stringWidth(heading)) / 2, 26);
            drawKey(g, out.getWidth());
            for (int i = 0; i < panels.size(); i++) {
                g.drawImage(panels.get(i), (i % columns) * panelSize, header + (i / columns) * panelSize, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void drawKey(Graphics2D g, int width) {
        g.setFont(Charts.LEGEND_FONT);
        FontMetrics fm = g.getFontMetrics();
        String ok = "S_ap > S_an: triplet in the right order";
        String bad = "S_an >= S_ap: violated";
        String each = "one point per anchor";
        int dot = 10;
        int gap = 28;
        int total = 2 * (dot + 6) + fm.stringWidth(ok) + fm.stringWidth(bad) + fm.stringWidth(each) + 2 * gap;
        int x = Math.max(8, (width - total) / 2);
        int y = 50;
        g.setColor(SATISFIED);
        g.fillOval(x, y - dot, dot, dot);
        x += dot + 6;
        g.setColor(Color.DARK_GRAY);
        g.drawString(ok, x, y);
        x += fm.stringWidth(ok) + gap;
        g.setColor(VIOLATED);
        g.fillOval(x, y - dot, dot, dot);
        x += dot + 6;
        g.setColor(Color.DARK_GRAY);
        g.drawString(bad, x, y);
        x += fm.stringWidth(bad) + gap;
        g.drawString(each, x, y);
    }
}

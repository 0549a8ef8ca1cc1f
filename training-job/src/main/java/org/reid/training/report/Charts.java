package org.reid.training.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

/** Shared look of the run plots and the one place that writes PNG files. */
final class Charts {

    static {
        useHeadlessAwt();
    }

    /**
     * Plots are drawn on training nodes without a display, so AWT must not look for one. Takes
     * effect only before AWT starts its toolkit, and only if nobody chose otherwise.
     */
    static void useHeadlessAwt() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Colour-blind-safe palette (Okabe and Ito), in the order series get it. */
    static final Color[] PALETTE = {
        new Color(0, 114, 178), // blue
        new Color(213, 94, 0), // vermillion
        new Color(0, 158, 115), // bluish green
        new Color(204, 121, 167), // reddish purple
        new Color(230, 159, 0), // orange
        new Color(86, 180, 233), // sky blue
        new Color(0, 0, 0), // black
        new Color(240, 228, 66), // yellow (last: poor contrast on white)
    };

    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private Charts() {}

    /** An XY chart with the house style: white background, light grid, readable fonts. */
    static XYChart xyChart(int width, int height, String title, String xTitle, String yTitle) {
        requireSize(width, height);
        XYChart chart = new XYChartBuilder()
                .width(width)
                .height(height)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(160, 160, 160));
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setChartTitleFont(TITLE_FONT);
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(AXIS_TITLE_FONT);
        s.setAxisTickLabelsFont(TICK_FONT);
        s.setLegendFont(LEGEND_FONT);
        s.setLegendBorderColor(new Color(200, 200, 200));
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setSeriesColors(PALETTE);
        s.setAntiAlias(true);
        s.setTextAntiAlias(true);
        s.setChartPadding(12);
        s.setPlotMargin(4);
        return chart;
    }

    static void requireSize(int width, int height) {
        if (width < 200 || height < 150 || width > 10_000 || height > 10_000) {
            throw new IllegalArgumentException(
                    "plot size " + width + "x" + height + " px is outside 200x150 .. 10000x10000");
        }
    }

    /** Writes {@code image} as PNG, creating the parent folders. */
    static void writePng(BufferedImage image, Path png) {
        if (png == null) {
            throw new IllegalArgumentException("png path is null");
        }
        try {
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(image, "png", png.toFile())) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + png, e);
        }
    }

    /** A colour with the given opacity (0..255). */
    static Color withAlpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    /** Formats a fraction as a percentage with one decimal, the way re-ID papers report metrics. */
    static String percent(double fraction) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}

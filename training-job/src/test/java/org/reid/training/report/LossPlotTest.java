package org.reid.training.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossPlotTest {
    @TempDir
    Path dir;

    @Test
    void writesSeveralSmoothedSeriesAsPng() throws Exception {
        Path png = dir.resolve("sub/loss.png");
        ExamplePlots.lossPlot(new Random(1)).write(png);
        var image = Pngs.assertPlot(png, 1000, 600);
        // every series is drawn, each in its own palette colour
        for (int s = 0; s < 3; s++) {
            assertThat(pixelsOf(image, Charts.PALETTE[s])).as("pixels of series " + s).isGreaterThan(200);
        }
    }

    private static int pixelsOf(java.awt.image.BufferedImage image, java.awt.Color colour) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (colour.getRGB() & 0xffffff)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void leavesOutNaNPointsButDrawsTheRest() throws Exception {
        Path png = dir.resolve("loss.png");
        new LossPlot("diverged").xLabel("epoch").size(640, 400)
                .series("total", new double[] {3, 2.5, Double.NaN, 2.2, Double.POSITIVE_INFINITY, 2.0})
                .skippedZeroLossSteps(0)
                .write(png);
        // the finite points still make a line
        assertThat(pixelsOf(Pngs.assertPlot(png, 640, 400), Charts.PALETTE[0])).isGreaterThan(100);
    }

    @Test
    void drawsASinglePointAsADot() throws Exception {
        Path png = dir.resolve("one.png");
        new LossPlot("one epoch").xLabel("epoch").series("total", new double[] {1.7}).write(png);
        var image = Pngs.assertPlot(png, 1000, 600);
        // The dot is the only thing in the series colour.
        int dot = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (Charts.PALETTE[0].getRGB() & 0xffffff)) {
                    dot++;
                }
            }
        }
        assertThat(dot).isGreaterThan(10);
    }

    @Test
    void logScaleLeavesOutZeroLoss() throws Exception {
        Path png = dir.resolve("log.png");
        new LossPlot("log").logScale(true).series("m", new double[] {1, 0.5, 0, 0.2, 0.1}).write(png);
        Pngs.assertPlot(png, 1000, 600);
        assertThatThrownBy(() -> new LossPlot("log").logScale(true).series("m", new double[] {0, 0}).render())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'m' has no positive value");
    }

    @Test
    void refusesBadSeriesWithClearMessages() {
        LossPlot plot = new LossPlot("bad");
        assertThatThrownBy(() -> plot.series("a", new double[] {1, 2, 3}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x has 3 values but y has 2");
        assertThatThrownBy(() -> plot.series("a", new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a' is empty");
        assertThatThrownBy(() -> plot.series("a", new double[] {Double.NaN, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("all 2 values are NaN or infinite");
        assertThatThrownBy(() -> plot.series("a", new double[] {1, Double.NaN}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x[1] is NaN");
        assertThatThrownBy(() -> plot.series(" ", new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name is blank");
        plot.series("a", new double[] {1});
        assertThatThrownBy(() -> plot.series("a", new double[] {2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> new LossPlot("empty").render())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no series");
        assertThatThrownBy(() -> plot.smoothing(1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plot.size(10, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10x10");
        assertThatThrownBy(() -> plot.skippedZeroLossSteps(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void smoothingIsBiasCorrectedMovingAverage() {
        assertThat(LossPlot.ema(new double[] {4, 4, 4}, 0.9)).containsExactly(4, 4, 4);
        // avg: 0 then 5, weights 0.5 then 0.75: the first point is not pulled toward zero.
        double[] s = LossPlot.ema(new double[] {0, 10}, 0.5);
        assertThat(s[0]).isEqualTo(0.0);
        assertThat(s[1]).isCloseTo(10 / 1.5, org.assertj.core.data.Offset.offset(1e-12));
    }
}

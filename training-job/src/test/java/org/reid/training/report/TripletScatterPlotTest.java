package org.reid.training.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TripletScatterPlotTest {
    @TempDir
    Path dir;

    @Test
    void sideBySideHasOnePanelPerEpochUnderAHeader() throws Exception {
        Path png = dir.resolve("scatter.png");
        ExamplePlots.tripletScatter(new Random(3), false).write(png);
        Pngs.assertPlot(png, 4 * 440, 64 + 440);
    }

    @Test
    void panelsWrapIntoRows() throws Exception {
        TripletScatterPlot plot = new TripletScatterPlot("wrap").panelSize(300).maxColumns(2);
        for (int e = 0; e < 3; e++) {
            plot.epoch(e, new double[] {0.9, 0.5}, new double[] {0.1, 0.7});
        }
        Path png = dir.resolve("wrap.png");
        plot.write(png);
        Pngs.assertPlot(png, 2 * 300, 64 + 2 * 300);
    }

    @Test
    void overlaidIsOnePanelWithALegend() throws Exception {
        Path png = dir.resolve("overlaid.png");
        ExamplePlots.tripletScatter(new Random(3), true).write(png);
        Pngs.assertPlot(png, 440 + 230, 440 + 40);
    }

    @Test
    void violatedTripletsAreDrawnRedAndSatisfiedOnesNot() {
        double[] sAp = new double[200];
        double[] sAn = new double[200];
        Random rnd = new Random(5);
        for (int i = 0; i < sAp.length; i++) {
            sAp[i] = 0.7 + 0.25 * rnd.nextDouble();
            sAn[i] = 0.05 + 0.3 * rnd.nextDouble();
        }
        BufferedImage allSatisfied = new TripletScatterPlot("ok").epoch(1, sAp, sAn).render();
        BufferedImage allViolated = new TripletScatterPlot("bad").epoch(1, sAn, sAp).render();
        // The key in the header has one red dot; points add many more red pixels.
        assertThat(strongRedPixels(allViolated)).isGreaterThan(strongRedPixels(allSatisfied) + 500);
    }

    private static int strongRedPixels(BufferedImage image) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r > 180 && g < 120 && b < 120) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void refusesBadInput() {
        TripletScatterPlot plot = new TripletScatterPlot("bad");
        assertThatThrownBy(() -> plot.epoch(1, new double[] {0.5, 0.6}, new double[] {0.1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sAp has 2 values but sAn has 1");
        assertThatThrownBy(() -> plot.epoch(1, new double[0], new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no triplets");
        assertThatThrownBy(() -> plot.epoch(1, new double[] {0.5}, new double[] {Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sAn[0] = NaN is not a cosine similarity");
        assertThatThrownBy(() -> plot.epoch(1, new double[] {1.5}, new double[] {0.2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sAp[0] = 1.5");
        assertThatThrownBy(plot::render)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no epoch");
        plot.epoch(1, new double[] {0.5}, new double[] {0.2});
        assertThatThrownBy(() -> plot.epoch(1, new double[] {0.5}, new double[] {0.2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("given twice");
    }

    @Test
    void sequentialColoursRunFromPurpleToYellowGreen() {
        assertThat(TripletScatterPlot.sequential(0).getRGB()).isEqualTo(new java.awt.Color(68, 1, 84).getRGB());
        assertThat(TripletScatterPlot.sequential(1).getRGB()).isEqualTo(new java.awt.Color(190, 210, 40).getRGB());
    }
}

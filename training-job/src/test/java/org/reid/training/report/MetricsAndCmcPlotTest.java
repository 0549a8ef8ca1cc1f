package org.reid.training.report;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsAndCmcPlotTest {
    @TempDir
    Path dir;

    @Test
    void metricsPlotWritesPng() throws Exception {
        Path png = dir.resolve("metrics.png");
        ExamplePlots.metricsPlot().write(png);
        Pngs.assertPlot(png, 1000, 600);
    }

    @Test
    void metricsPlotTakesOneEvaluationAndSkipsNaN() throws Exception {
        Path png = dir.resolve("one.png");
        new MetricsPlot("one", new int[] {3}).rank1(new double[] {0.5}).size(500, 300).write(png);
        Pngs.assertPlot(png, 500, 300);
        Path gap = dir.resolve("gap.png");
        new MetricsPlot("gap", new int[] {1, 2, 3}).mAP(new double[] {0.2, Double.NaN, 0.4}).write(gap);
        Pngs.assertPlot(gap, 1000, 600);
    }

    @Test
    void metricsPlotRefusesPercentagesAndMismatches() {
        MetricsPlot plot = new MetricsPlot("m", new int[] {5, 10});
        assertThatThrownBy(() -> plot.rank1(new double[] {0.5, 85.0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rank-1 = 85.0 at epoch 10 is outside [0, 1]");
        assertThatThrownBy(() -> plot.mAP(new double[] {0.5}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x has 2 values but y has 1");
        assertThatThrownBy(() -> new MetricsPlot("m", new int[] {5, 5}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epochs must increase");
        assertThatThrownBy(() -> new MetricsPlot("m", new int[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no evaluation epochs");
        assertThatThrownBy(plot::render)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no metric");
    }

    @Test
    void cmcPlotWritesPngForSeveralModels() throws Exception {
        Path png = dir.resolve("cmc.png");
        ExamplePlots.cmcPlot().write(png);
        Pngs.assertPlot(png, 900, 600);
        Path single = dir.resolve("single.png");
        new CmcPlot("one rank").model("m", new double[] {0.7}).write(single);
        Pngs.assertPlot(single, 900, 600);
    }

    @Test
    void cmcPlotRefusesWhatCannotBeACmc() {
        CmcPlot plot = new CmcPlot("c");
        assertThatThrownBy(() -> plot.model("m", new double[] {0.8, 0.7}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rank-2 = 0.7 is below rank-1 = 0.8");
        assertThatThrownBy(() -> plot.model("m", new double[] {0.5, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rank-2 = NaN is not a fraction");
        assertThatThrownBy(() -> plot.model("m", new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty CMC");
        assertThatThrownBy(() -> plot.maxRank(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(plot::render)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no model");
    }
}

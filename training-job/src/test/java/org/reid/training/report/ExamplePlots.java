package org.reid.training.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Renders every plot from realistic fake data into a folder, to look at them (and to refresh
 * docs/images): {@code java -cp ... org.reid.training.report.ExamplePlots docs/images}.
 */
public final class ExamplePlots {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/example-plots");
        Files.createDirectories(dir);
        Random rnd = new Random(7);
        lossPlot(rnd).write(dir.resolve("example-loss.png"));
        metricsPlot().write(dir.resolve("example-metrics.png"));
        cmcPlot().write(dir.resolve("example-cmc.png"));
        tripletScatter(rnd, false).write(dir.resolve("example-triplet-scatter.png"));
        tripletScatter(rnd, true).write(dir.resolve("example-triplet-scatter-overlaid.png"));
        rankedSheet(rnd).write(rankedRows(rnd), dir.resolve("example-ranked-results.png"));
        System.out.println("wrote plots to " + dir.toAbsolutePath());
    }

    static LossPlot lossPlot(Random rnd) {
        int steps = 6000;
        double[] x = new double[steps];
        double[] metric = new double[steps];
        double[] id = new double[steps];
        double[] total = new double[steps];
        for (int i = 0; i < steps; i++) {
            x[i] = i + 1;
            double t = i / (double) steps;
            metric[i] = Math.max(0, 0.3 + 0.9 * Math.exp(-5 * t) + 0.12 * rnd.nextGaussian() * Math.exp(-2 * t));
            id[i] = 0.4 + 5.8 * Math.exp(-7 * t) + 0.25 * rnd.nextGaussian() * Math.exp(-3 * t);
            total[i] = metric[i] + id[i];
        }
        metric[4200] = Double.NaN;
        return new LossPlot("MVP + ID loss, resnet50, synthetic Market layout")
                .series("total", x, total)
                .series("metric (MVP)", x, metric)
                .series("ID (cross-entropy)", x, id)
                .skippedZeroLossSteps(37);
    }

    static MetricsPlot metricsPlot() {
        int[] epochs = {5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60};
        double[] r1 = new double[epochs.length];
        double[] map = new double[epochs.length];
        double[] minp = new double[epochs.length];
        for (int i = 0; i < epochs.length; i++) {
            double t = epochs[i] / 60.0;
            r1[i] = 0.93 - 0.55 * Math.exp(-4 * t);
            map[i] = 0.82 - 0.60 * Math.exp(-3.5 * t);
            minp[i] = 0.48 - 0.42 * Math.exp(-3 * t);
        }
        return new MetricsPlot("Evaluation on held-out query/gallery", epochs).rank1(r1).mAP(map).mINP(minp);
    }

    static CmcPlot cmcPlot() {
        CmcPlot plot = new CmcPlot("CMC, synthetic Market layout");
        String[] names = {"MVP r50 (v3)", "batch-hard r50 (v2)", "ImageNet features"};
        double[] r1 = {0.921, 0.884, 0.412};
        for (int m = 0; m < names.length; m++) {
            double[] cmc = new double[50];
            for (int k = 0; k < cmc.length; k++) {
                cmc[k] = 1 - (1 - r1[m]) * Math.pow(k + 1, -0.55 - 0.1 * m);
            }
            plot.model(names[m], cmc);
        }
        return plot;
    }

    static TripletScatterPlot tripletScatter(Random rnd, boolean overlaid) {
        TripletScatterPlot plot = new TripletScatterPlot("EPHN, 2nd order, n = 2");
        int[] epochs = {0, 5, 10, 40};
        for (int e = 0; e < epochs.length; e++) {
            double t = e / 3.0;
            int n = 1500;
            double[] ap = new double[n];
            double[] an = new double[n];
            for (int i = 0; i < n; i++) {
                // Start: all points near (0.8, 0.75); training spreads positives up, negatives down.
                ap[i] = clamp(0.78 + 0.12 * t + (0.07 - 0.03 * t) * rnd.nextGaussian());
                an[i] = clamp(0.74 - 0.35 * t + (0.06 + 0.03 * t) * rnd.nextGaussian());
            }
            plot.epoch(epochs[e], ap, an);
        }
        if (overlaid) {
            plot.overlaid();
        }
        return plot;
    }

    static RankedResultsSheet rankedSheet(Random rnd) {
        return new RankedResultsSheet().title("Top-10 results, MVP r50 v3 (green: same identity, red: other)");
    }

    /** Five queries of a fake gallery: look-alike identities share colours, so some ranks are wrong. */
    static List<RankedResultsSheet.Row> rankedRows(Random rnd) {
        List<RankedResultsSheet.Row> rows = new ArrayList<>();
        for (int q = 0; q < 5; q++) {
            int pid = 100 + 17 * q;
            List<RankedResultsSheet.Match> matches = new ArrayList<>();
            double d = 0.15 + 0.05 * rnd.nextDouble();
            for (int k = 0; k < 10; k++) {
                boolean correct = rnd.nextDouble() < 0.75 - 0.06 * k - 0.08 * q;
                int gpid = correct ? pid : pid + 1 + rnd.nextInt(40);
                int cam = 1 + rnd.nextInt(6);
                d += 0.01 + 0.03 * rnd.nextDouble();
                // Gallery crops come in several sizes, as detector boxes do.
                int h = 96 + rnd.nextInt(80);
                matches.add(new RankedResultsSheet.Match(person(gpid, cam, h / 2, h, rnd), correct,
                        String.format(java.util.Locale.ROOT, "%.3f%npid %d c%d", d, gpid, cam)));
            }
            rows.add(new RankedResultsSheet.Row(person(pid, 1, 64, 128, rnd), "pid " + pid + " c1", matches));
        }
        return rows;
    }

    /** A stick pedestrian whose shirt and trousers colours follow the identity (close pids look alike). */
    static BufferedImage person(int pid, int cam, int w, int h, Random rnd) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int light = 150 + 15 * cam;
        g.setColor(new Color(Math.min(255, light), Math.min(255, light - 10), Math.min(255, light - 25)));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(120, 120, 110));
        g.fillRect(0, (int) (h * 0.85), w, h);
        Color shirt = Color.getHSBColor(((pid / 3) * 0.137f) % 1f, 0.75f, 0.85f);
        Color trousers = Color.getHSBColor(((pid / 5) * 0.29f) % 1f, 0.5f, 0.35f);
        double jitter = (rnd.nextDouble() - 0.5) * 0.1;
        int cx = (int) (w * (0.5 + jitter));
        g.setColor(new Color(225, 190, 160));
        g.fillOval(cx - w / 8, (int) (h * 0.06), w / 4, h / 8);
        g.setColor(shirt);
        g.fillRoundRect(cx - w / 4, (int) (h * 0.19), w / 2, (int) (h * 0.34), 8, 8);
        g.setColor(trousers);
        g.fillRect(cx - w / 5, (int) (h * 0.52), w / 6, (int) (h * 0.38));
        g.fillRect(cx + w / 5 - w / 6, (int) (h * 0.52), w / 6, (int) (h * 0.38));
        g.dispose();
        return img;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}

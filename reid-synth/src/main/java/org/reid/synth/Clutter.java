package org.reid.synth;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.SplittableRandom;

/**
 * What stands between the wall and the person: people further away, bins, bollards, planters and
 * sign posts. Painted behind the person, so it never hides them, but it puts other people's
 * colours and other shapes into the crop, which a model must learn to ignore.
 */
final class Clutter {
    private Clutter() {
    }

    /** Paints up to about 4 x {@code density} things standing on the floor line {@code floorY}. */
    static void paint(Graphics2D g, double density, int w, int h, double floorY, SplittableRandom rnd) {
        int n = (int) Math.floor(4 * density * rnd.nextDouble() + rnd.nextDouble());
        for (int i = 0; i < n; i++) {
            double x = rnd.nextDouble() * w;
            // further away stands higher in the picture and is smaller
            double foot = floorY + (h - floorY) * 0.5 * rnd.nextDouble();
            double size = h * (0.25 + 0.35 * (foot - floorY) / Math.max(1, h - floorY) + 0.1 * rnd.nextDouble());
            switch (rnd.nextInt(5)) {
                case 0, 1 -> farPerson(g, x, foot, size, rnd);
                case 2 -> bin(g, x, foot, size * 0.35, rnd);
                case 3 -> bollard(g, x, foot, size * 0.3, rnd);
                default -> signPost(g, x, foot, size * 0.9, rnd);
            }
        }
    }

    private static void farPerson(Graphics2D g, double x, double foot, double bodyH, SplittableRandom rnd) {
        Appearance stranger = AppearanceSampler.random(rnd, -1);
        Viewpoint view = Viewpoint.values()[rnd.nextInt(Viewpoint.values().length)];
        Shot pose = new Shot(view, rnd.nextDouble() * 2 * Math.PI, 0.3 + 0.6 * rnd.nextDouble(), 0.03, false,
                1, 0, 0, Shot.Occluder.NONE, 0, 0, 1, 0, 0);
        PersonPainter.paint(g, stranger, pose, x, foot, bodyH);
    }

    private static void bin(Graphics2D g, double x, double foot, double size, SplittableRandom rnd) {
        Color c = AppearanceSampler.clothes(rnd);
        g.setColor(c);
        g.fill(new RoundRectangle2D.Double(x - size * 0.35, foot - size, size * 0.7, size, size * 0.15, size * 0.15));
        g.setColor(PersonPainter.shade(c, 0.6));
        g.fill(new Rectangle2D.Double(x - size * 0.4, foot - size, size * 0.8, size * 0.12));
    }

    private static void bollard(Graphics2D g, double x, double foot, double size, SplittableRandom rnd) {
        int grey = 60 + rnd.nextInt(140);
        g.setColor(new Color(grey, grey, grey));
        g.fill(new Rectangle2D.Double(x - size * 0.15, foot - size, size * 0.3, size));
        g.fill(new Ellipse2D.Double(x - size * 0.15, foot - size * 1.1, size * 0.3, size * 0.2));
    }

    private static void signPost(Graphics2D g, double x, double foot, double size, SplittableRandom rnd) {
        g.setColor(new Color(90, 90, 95));
        g.fill(new Rectangle2D.Double(x - size * 0.015, foot - size, Math.max(1, size * 0.03), size));
        g.setColor(AppearanceSampler.clothes(rnd));
        g.fill(new Rectangle2D.Double(x - size * 0.12, foot - size, size * 0.24, size * 0.16));
    }
}

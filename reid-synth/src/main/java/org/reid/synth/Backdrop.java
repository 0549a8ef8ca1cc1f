package org.reid.synth;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.SplittableRandom;

/**
 * Paints what a camera sees behind people: a wall of the camera's colour and texture, the floor
 * line, the floor and its pattern. The crop sits somewhere else along the wall each time.
 */
final class Backdrop {
    private Backdrop() {
    }

    /** Paints the backdrop and returns the y of the floor line, where far-off things stand. */
    static double paint(Graphics2D g, CameraProfile cam, int w, int h, SplittableRandom rnd) {
        double floorY = cam.floorLine() * h + (rnd.nextDouble() - 0.5) * 0.04 * h;
        Color wall = cam.wall();
        g.setPaint(new GradientPaint(0, 0, wall, 0, (float) floorY,
                PersonPainter.shade(wall, 0.8)));
        g.fill(new Rectangle2D.Double(0, 0, w, floorY + 1));
        double offset = rnd.nextDouble(); // the crop sits somewhere else along the wall each time
        Color line = PersonPainter.shade(wall, 0.7);
        switch (cam.background()) {
            case PLAIN -> {
            }
            case BRICKS -> {
                double bh = h * 0.05;
                double bw = bh * 2.2;
                g.setColor(line);
                int row = 0;
                for (double y = 0; y < floorY; y += bh, row++) {
                    g.fill(new Rectangle2D.Double(0, y, w, Math.max(0.6, bh * 0.12)));
                    double shift = (row % 2) * bw / 2 + offset * bw;
                    for (double x = -bw + shift % bw; x < w; x += bw) {
                        g.fill(new Rectangle2D.Double(x, y, Math.max(0.6, bh * 0.12), bh));
                    }
                }
            }
            case TILES -> {
                double t = h * 0.11;
                g.setColor(line);
                for (double x = -t + (offset * t); x < w; x += t) {
                    g.fill(new Rectangle2D.Double(x, 0, Math.max(0.6, t * 0.05), floorY));
                }
                for (double y = 0; y < floorY; y += t) {
                    g.fill(new Rectangle2D.Double(0, y, w, Math.max(0.6, t * 0.05)));
                }
            }
            case FOLIAGE -> {
                for (int i = 0; i < 14; i++) {
                    float hue = (float) (0.22 + 0.12 * rnd.nextDouble());
                    g.setColor(Color.getHSBColor(hue, 0.5f + 0.3f * (float) rnd.nextDouble(),
                            0.2f + 0.4f * (float) rnd.nextDouble()));
                    double r = h * (0.06 + 0.1 * rnd.nextDouble());
                    g.fill(new Ellipse2D.Double(rnd.nextDouble() * w - r, rnd.nextDouble() * floorY - r, 2 * r, 2 * r));
                }
            }
            case SHOPFRONT -> paintShopfront(g, wall, w, floorY, offset, rnd);
            case FENCE -> paintFence(g, line, w, h, floorY, offset);
            case POSTERS -> paintPosters(g, w, h, floorY, rnd);
            case CONCRETE -> paintConcrete(g, wall, w, floorY, rnd);
            case GLASS -> {
                double pane = w * 0.45;
                for (double x = -pane + offset * pane; x < w; x += pane) {
                    g.setColor(PersonPainter.shade(wall, 0.6));
                    g.fill(new Rectangle2D.Double(x, 0, Math.max(1, w * 0.04), floorY));
                    g.setColor(new Color(255, 255, 255, 40));
                    g.fill(new Rectangle2D.Double(x + pane * 0.3, 0, pane * 0.15, floorY));
                }
            }
        }
        Color floor = cam.floor();
        g.setPaint(new GradientPaint(0, (float) floorY, PersonPainter.shade(floor, 0.85), 0, h, floor));
        g.fill(new Rectangle2D.Double(0, floorY, w, h - floorY));
        g.setColor(PersonPainter.shade(floor, 0.6));
        g.fill(new Rectangle2D.Double(0, floorY, w, Math.max(1, h * 0.008)));
        paintFloorPattern(g, cam.floorPattern(), floor, w, h, floorY, offset);
        return floorY;
    }

    // ---------------------------------------------------------------- kinds of the randomised pool

    /** A shop window: a coloured sign band, panes with a reflection, a dark door frame. */
    private static void paintShopfront(Graphics2D g, Color wall, int w, double floorY, double offset,
                                       SplittableRandom rnd) {
        double signH = floorY * (0.12 + 0.1 * rnd.nextDouble());
        g.setColor(AppearanceSampler.clothes(rnd));
        g.fill(new Rectangle2D.Double(0, 0, w, signH));
        Color pane = PersonPainter.shade(wall, 0.45);
        double paneW = w * (0.5 + 0.4 * rnd.nextDouble());
        for (double x = -paneW + offset * paneW; x < w; x += paneW) {
            g.setColor(pane);
            g.fill(new Rectangle2D.Double(x + w * 0.04, signH + floorY * 0.06, paneW - w * 0.08, floorY * 0.8 - signH));
            g.setColor(new Color(255, 255, 255, 35));
            g.fill(new Rectangle2D.Double(x + paneW * 0.2, signH + floorY * 0.06, paneW * 0.12, floorY * 0.8 - signH));
        }
    }

    /** Railings: evenly spaced bars and two rails. */
    private static void paintFence(Graphics2D g, Color line, int w, int h, double floorY, double offset) {
        double gap = w * 0.12;
        double top = floorY * 0.45;
        g.setColor(PersonPainter.shade(line, 0.7));
        for (double x = -gap + offset * gap; x < w; x += gap) {
            g.fill(new Rectangle2D.Double(x, top, Math.max(1, w * 0.025), floorY - top));
        }
        g.fill(new Rectangle2D.Double(0, top, w, Math.max(1, h * 0.015)));
        g.fill(new Rectangle2D.Double(0, (top + floorY) / 2, w, Math.max(1, h * 0.012)));
    }

    /** Two to four posters of random colours, each with a band of another colour. */
    private static void paintPosters(Graphics2D g, int w, int h, double floorY, SplittableRandom rnd) {
        int n = 2 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            double pw = w * (0.25 + 0.35 * rnd.nextDouble());
            double ph = floorY * (0.2 + 0.35 * rnd.nextDouble());
            double x = rnd.nextDouble() * w - pw / 2;
            double y = rnd.nextDouble() * (floorY - ph);
            g.setColor(AppearanceSampler.clothes(rnd));
            g.fill(new Rectangle2D.Double(x, y, pw, ph));
            g.setColor(AppearanceSampler.clothes(rnd));
            g.fill(new Rectangle2D.Double(x, y + ph * (0.2 + 0.5 * rnd.nextDouble()), pw, ph * 0.18));
        }
    }

    /** Stained concrete: blotches a little lighter or darker than the wall. */
    private static void paintConcrete(Graphics2D g, Color wall, int w, double floorY, SplittableRandom rnd) {
        for (int i = 0; i < 24; i++) {
            double f = 0.8 + 0.4 * rnd.nextDouble();
            g.setColor(new Color(Math.min(255, (int) (wall.getRed() * f)), Math.min(255, (int) (wall.getGreen() * f)),
                    Math.min(255, (int) (wall.getBlue() * f)), 110));
            double r = w * (0.05 + 0.15 * rnd.nextDouble());
            g.fill(new Ellipse2D.Double(rnd.nextDouble() * w - r, rnd.nextDouble() * floorY - r, 2 * r, 2 * r * 0.7));
        }
    }

    /** Paving joints, crosswalk bars or planks; lines get denser towards the horizon. */
    private static void paintFloorPattern(Graphics2D g, CameraProfile.FloorPattern pattern, Color floor, int w, int h,
                                          double floorY, double offset) {
        if (pattern == CameraProfile.FloorPattern.PLAIN) {
            return;
        }
        double depth = h - floorY;
        switch (pattern) {
            case PAVING -> {
                g.setColor(PersonPainter.shade(floor, 0.7));
                for (double t = 0.08; t < 1; t *= 1.6) {
                    g.fill(new Rectangle2D.Double(0, floorY + depth * t, w, Math.max(0.6, depth * 0.02)));
                }
                double gap = w * 0.3;
                for (double x = -gap + offset * gap; x < w; x += gap) {
                    g.fill(new Rectangle2D.Double(x, floorY, Math.max(0.6, w * 0.012), depth));
                }
            }
            case CROSSWALK -> {
                g.setColor(new Color(235, 235, 225));
                for (double t = 0.1; t < 1; t += 0.3) {
                    g.fill(new Rectangle2D.Double(0, floorY + depth * t, w, depth * 0.14));
                }
            }
            case PLANKS -> {
                g.setColor(PersonPainter.shade(floor, 0.75));
                for (double t = 0.12; t < 1; t += 0.17) {
                    g.fill(new Rectangle2D.Double(0, floorY + depth * t, w, Math.max(0.6, depth * 0.015)));
                }
            }
            default -> {
            }
        }
    }
}

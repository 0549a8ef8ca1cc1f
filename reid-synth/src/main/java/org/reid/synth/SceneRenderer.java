package org.reid.synth;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Turns (person, camera, shot) into a finished crop: background of the camera, clutter, the
 * person, an occluder, then what the camera does to pixels (motion blur, resolution, blur,
 * saturation and gamma, light, colour cast, noise).
 * Stateless; every call draws only from the random stream it is given.
 */
final class SceneRenderer {
    private final int height;
    private final int width;

    SceneRenderer(int height, int width) {
        this.height = height;
        this.width = width;
    }

    /** A crop of {@code person} as {@code camera} sees it in {@code shot}. */
    BufferedImage render(Appearance person, CameraProfile camera, Shot shot, SplittableRandom rnd) {
        int rh = renderSize(height, camera.resolution());
        int rw = renderSize(width, camera.resolution());
        BufferedImage canvas = new BufferedImage(rw, rh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(canvas);
        double floorY = Backdrop.paint(g, camera, rw, rh, rnd);
        if (camera.clutter() > 0) { // no draw at 0, so worlds without clutter keep their random streams
            Clutter.paint(g, camera.clutter(), rw, rh, floorY, rnd);
        }
        double bodyH = person.stature() * rh * shot.scale();
        double footY = (rh + bodyH) / 2 + shot.dy() * rh;
        PersonPainter.paint(g, person, shot, rw / 2.0 + shot.dx() * rw, footY, bodyH);
        paintOccluder(g, shot, rw, rh, rnd);
        g.dispose();
        if (shot.motionBlur() > 0) { // before the blur and the resize: the smear happens in the scene
            PixelEffects.motionBlur(canvas, shot.motionBlur() * rw, shot.motionAngle());
        }
        return finish(canvas, camera, shot.exposure(), rnd);
    }

    /**
     * A gallery distractor (Market-1501 id 0000): a false detection, i.e. background with clutter
     * or a sliver of somebody walking out of the box.
     */
    BufferedImage renderDistractor(CameraProfile camera, SplittableRandom rnd) {
        int rh = renderSize(height, camera.resolution());
        int rw = renderSize(width, camera.resolution());
        BufferedImage canvas = new BufferedImage(rw, rh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(canvas);
        Backdrop.paint(g, camera, rw, rh, rnd);
        paintClutter(g, rw, rh, rnd);
        if (rnd.nextBoolean()) {
            Appearance stranger = AppearanceSampler.random(rnd, -1);
            Shot shot = Shot.neutral(Viewpoint.values()[rnd.nextInt(4)]);
            double side = rnd.nextBoolean() ? -1 : 1;
            PersonPainter.paint(g, stranger, shot, rw / 2.0 + side * rw * (0.6 + 0.2 * rnd.nextDouble()),
                    rh * 0.95, rh * 0.85);
        }
        g.dispose();
        return finish(canvas, camera, 1.0, rnd);
    }

    /** A junk image (Market-1501 id -1): a body part zoomed so far that nobody could tell who it is. */
    BufferedImage renderJunk(CameraProfile camera, SplittableRandom rnd) {
        int rh = renderSize(height, camera.resolution());
        int rw = renderSize(width, camera.resolution());
        BufferedImage canvas = new BufferedImage(rw, rh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(canvas);
        Backdrop.paint(g, camera, rw, rh, rnd);
        Appearance stranger = AppearanceSampler.random(rnd, -1);
        Shot shot = Shot.neutral(Viewpoint.values()[rnd.nextInt(4)]);
        double bodyH = rh * (2.2 + rnd.nextDouble());
        double footY = rh * (0.6 + 1.6 * rnd.nextDouble());
        PersonPainter.paint(g, stranger, shot, rw / 2.0 + (rnd.nextDouble() - 0.5) * rw, footY, bodyH);
        g.dispose();
        return finish(canvas, camera, 1.0, rnd);
    }

    private BufferedImage finish(BufferedImage canvas, CameraProfile camera, double exposure, SplittableRandom rnd) {
        PixelEffects.boxBlur(canvas, camera.blurPasses());
        BufferedImage out = canvas;
        if (canvas.getWidth() != width || canvas.getHeight() != height) {
            out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(canvas, 0, 0, width, height, null);
            g.dispose();
        }
        if (!camera.tone().isNeutral()) {
            PixelEffects.tone(out, camera.tone().saturation(), camera.tone().gamma());
        }
        PixelEffects.lightAndNoise(out, camera.light() * exposure, camera.cast(), camera.noise(), rnd);
        return out;
    }

    private static int renderSize(int size, double resolution) {
        return Math.max(8, (int) Math.round(size * resolution));
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        return g;
    }

    // ---------------------------------------------------------------- background

    private static void paintClutter(Graphics2D g, int w, int h, SplittableRandom rnd) {
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            Color c = AppearanceSampler.clothes(rnd);
            double bw = w * (0.2 + 0.5 * rnd.nextDouble());
            double bh = h * (0.1 + 0.5 * rnd.nextDouble());
            double x = rnd.nextDouble() * w - bw / 2;
            double y = h * (0.5 + 0.45 * rnd.nextDouble()) - bh;
            g.setColor(c);
            g.fill(new RoundRectangle2D.Double(x, y, bw, bh, bw * 0.2, bw * 0.2));
        }
    }

    // ---------------------------------------------------------------- occluders

    private static void paintOccluder(Graphics2D g, Shot shot, int w, int h, SplittableRandom rnd) {
        switch (shot.occluder()) {
            case NONE -> {
            }
            case BOX -> { // a bin, a car bonnet, a bench: covers the lower part
                double bh = h * (0.2 + 0.6 * shot.occluderSize());
                double bw = w * (0.6 + 0.6 * rnd.nextDouble());
                double x = (shot.occluderAt() - 0.5) * w * 0.8 + (w - bw) / 2;
                Color c = AppearanceSampler.clothes(rnd);
                g.setColor(c);
                g.fill(new RoundRectangle2D.Double(x, h - bh, bw, bh + 2, w * 0.08, w * 0.08));
                g.setColor(PersonPainter.shade(c, 0.7));
                g.fill(new Rectangle2D.Double(x, h - bh + bh * 0.15, bw, Math.max(1, bh * 0.06)));
            }
            case POLE -> { // a lamp post or a pillar: a vertical band
                double pw = w * (0.1 + 0.35 * shot.occluderSize());
                double x = shot.occluderAt() * (w - pw);
                int grey = 70 + rnd.nextInt(120);
                g.setPaint(new GradientPaint((float) x, 0, new Color(grey, grey, grey), (float) (x + pw), 0,
                        new Color(grey / 2, grey / 2, grey / 2)));
                g.fill(new Rectangle2D.Double(x, 0, pw, h));
            }
            case PASSERBY -> { // somebody closer to the camera, half in the box
                Appearance stranger = AppearanceSampler.random(rnd, -1);
                Shot s = Shot.neutral(Viewpoint.values()[rnd.nextInt(4)]);
                double side = shot.occluderAt() < 0.5 ? -1 : 1;
                double bodyH = h * (1.05 + 0.25 * rnd.nextDouble());
                double cx = w / 2.0 + side * w * (0.55 + 0.45 * (1 - shot.occluderSize()));
                PersonPainter.paint(g, stranger, s, cx, h * 0.5 + bodyH / 2, bodyH);
            }
            case CROWD -> { // a walker closer to the camera, overlapping a quarter to a half of the person
                Appearance stranger = AppearanceSampler.random(rnd, -1);
                Viewpoint view = Viewpoint.values()[rnd.nextInt(4)];
                Shot s = new Shot(view, rnd.nextDouble() * 2 * Math.PI, 0.4 + 0.5 * rnd.nextDouble(), 0.03, false,
                        1, 0, 0, Shot.Occluder.NONE, 0, 0, 1, 0, 0);
                double side = shot.occluderAt() < 0.5 ? -1 : 1;
                double bodyH = h * (1.0 + 0.35 * rnd.nextDouble());
                double cx = w / 2.0 + side * w * (0.25 + 0.7 * (0.5 - shot.occluderSize()) + 0.1 * rnd.nextDouble());
                PersonPainter.paint(g, stranger, s, cx, h * (0.95 + 0.2 * rnd.nextDouble()) + (bodyH - h) / 2, bodyH);
            }
        }
    }
}

package org.reid.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;

/**
 * Paints one person, seen from one viewpoint in one walking pose, into a Graphics2D. The body is
 * built from a handful of shapes (head, torso, two-segment limbs) sized by the {@link Appearance};
 * the viewpoint decides what is visible: a backpack from behind, a logo or an open jacket from the
 * front, long hair over the back, a stride from the side.
 */
final class PersonPainter {

    private final Graphics2D g;
    private final Appearance a;
    private final Shot s;

    // geometry in canvas pixels
    private final double u;       // body height
    private final double cx;      // body centre line
    private final double footY;
    private final double top;
    private final double headH;
    private final double headW;
    private final double shoulderY;
    private final double hipY;
    private final double legLen;
    private final double armLen;
    private final double armW;
    private final double legW;
    private final double swing;

    private PersonPainter(Graphics2D g, Appearance a, Shot s, double cx, double footY, double bodyHeight) {
        this.g = g;
        this.a = a;
        this.s = s;
        this.u = bodyHeight;
        this.cx = cx;
        this.footY = footY;
        this.top = footY - u;
        this.headH = 0.125 * u * a.headScale();
        this.headW = headH * 0.8;
        this.shoulderY = top + headH + 0.035 * u;
        this.legLen = a.legShare() * u;
        this.hipY = footY - legLen;
        this.armLen = 0.37 * u;
        this.armW = 0.058 * u * Math.sqrt(a.build());
        this.legW = 0.078 * u * Math.sqrt(a.build());
        this.swing = Math.sin(s.phase()) * s.stride();
    }

    /**
     * Paints the person standing on {@code footY}, centred on {@code cx}, {@code bodyHeight} pixels tall.
     */
    static void paint(Graphics2D g, Appearance a, Shot s, double cx, double footY, double bodyHeight) {
        AffineTransform saved = g.getTransform();
        // lean forward around the feet; front/back views only show a slight sideways tilt
        double lean = s.view().isSide() ? s.lean() : s.lean() * 0.3;
        g.rotate(lean, cx, footY);
        if (s.view() == Viewpoint.LEFT) { // paint facing right, mirrored
            g.translate(cx, 0);
            g.scale(-1, 1);
            g.translate(-cx, 0);
        }
        PersonPainter p = new PersonPainter(g, a, s, cx, footY, bodyHeight);
        if (s.view().isSide()) {
            p.paintSide();
        } else {
            p.paintFrontOrBack(s.view() == Viewpoint.FRONT);
        }
        g.setTransform(saved);
    }

    // ---------------------------------------------------------------- front / back

    private void paintFrontOrBack(boolean front) {
        double sw = 0.125 * u * a.build();
        double hw = 0.095 * u * a.build();
        if (front && a.hairStyle() == Appearance.Hair.LONG) { // from the back it is painted over the back later
            fill(new Rectangle2D.Double(cx - headW * 0.62, top + headH * 0.35, headW * 1.24, headH * 1.2), a.hair());
        }
        // legs: the lifted foot of a walker seen head-on sits a little higher
        double lift = 0.045 * u;
        paintStraightLeg(cx - hw * 0.5, footY - Math.max(0, swing) * lift, -1);
        paintStraightLeg(cx + hw * 0.5, footY - Math.max(0, -swing) * lift, 1);
        if (a.lowerStyle() == Appearance.Lower.SKIRT) {
            paintSkirt(hw);
        }
        // arms hang beside the torso; the swing foreshortens them
        boolean raiseRight = s.armRaised();
        paintHangingArm(cx - sw + armW * 0.45, -1, 1 - Math.abs(swing) * 0.12, false);
        paintHangingArm(cx + sw - armW * 0.45, 1, 1 - Math.abs(swing) * 0.12, raiseRight);
        Shape torso = torsoFront(sw, hw);
        fill(torso, a.upper());
        paintPattern(torso, front ? Viewpoint.FRONT : Viewpoint.BACK, sw);
        paintCarryFrontOrBack(front, sw, hw);
        paintNeckAndHead(front);
        if (!front && a.hairStyle() == Appearance.Hair.LONG) {
            fill(new RoundRectangle2D.Double(cx - headW * 0.6, top + headH * 0.4, headW * 1.2,
                    shoulderY - top - headH * 0.4 + 0.1 * u, headW * 0.5, headW * 0.5), a.hair());
        }
        paintHat(front ? Viewpoint.FRONT : Viewpoint.BACK);
    }

    private Shape torsoFront(double sw, double hw) {
        double bottom = hipY + 0.03 * u;
        Path2D.Double p = new Path2D.Double();
        p.moveTo(cx - sw * 0.55, shoulderY - 0.012 * u);
        p.lineTo(cx + sw * 0.55, shoulderY - 0.012 * u);
        p.quadTo(cx + sw, shoulderY - 0.006 * u, cx + sw, shoulderY + 0.05 * u);
        p.lineTo(cx + hw * 1.05, bottom);
        p.lineTo(cx - hw * 1.05, bottom);
        p.lineTo(cx - sw, shoulderY + 0.05 * u);
        p.quadTo(cx - sw, shoulderY - 0.006 * u, cx - sw * 0.55, shoulderY - 0.012 * u);
        p.closePath();
        return p;
    }

    private void paintStraightLeg(double x, double foot, int side) {
        double shoeH = 0.03 * u;
        double spread = side * 0.01 * u;
        paintLegSegments(x, hipY, x + spread * 0.5, (hipY + foot) / 2, x + spread, foot - shoeH, 1.0);
        fill(new Ellipse2D.Double(x + spread - legW * 0.6, foot - shoeH * 1.4, legW * 1.2, shoeH * 1.6), a.shoes());
    }

    /** Thigh and shin, dressed according to the lower garment; {@code shade} darkens far limbs. */
    private void paintLegSegments(double hx, double hy, double kx, double ky, double fx, double fy, double shade) {
        Color lower = shade(a.lower(), shade);
        Color skin = shade(a.skin(), shade);
        switch (a.lowerStyle()) {
            case TROUSERS -> {
                limb(hx, hy, kx, ky, legW, lower);
                limb(kx, ky, fx, fy, legW * 0.9, lower);
            }
            case SHORTS -> {
                limb(kx, ky, fx, fy, legW * 0.7, skin);
                limb(hx, hy, kx, ky, legW * 0.8, skin);
                double mx = hx + (kx - hx) * 0.75;
                double my = hy + (ky - hy) * 0.75;
                limb(hx, hy, mx, my, legW * 1.05, lower);
            }
            case SKIRT -> {
                limb(hx, hy, kx, ky, legW * 0.8, skin);
                limb(kx, ky, fx, fy, legW * 0.7, skin);
            }
        }
    }

    private void paintSkirt(double hw) {
        double bottom = hipY + legLen * 0.5;
        Path2D.Double p = new Path2D.Double();
        p.moveTo(cx - hw * 1.0, hipY - 0.01 * u);
        p.lineTo(cx + hw * 1.0, hipY - 0.01 * u);
        p.lineTo(cx + hw * 1.5, bottom);
        p.lineTo(cx - hw * 1.5, bottom);
        p.closePath();
        fill(p, a.lower());
    }

    private void paintHangingArm(double x, int side, double foreshorten, boolean raised) {
        double sy = shoulderY + armW * 0.5;
        if (raised) { // forearm up: a phone at the ear or a wave
            double ex = x + side * 0.07 * u;
            double ey = sy + 0.15 * u;
            double hx = x + side * 0.02 * u;
            double hy = sy - 0.06 * u;
            sleeve(x, sy, ex, ey, hx, hy, 1.0);
            return;
        }
        double len = armLen * foreshorten;
        double ex = x + side * 0.012 * u;
        double ey = sy + len * 0.48;
        double hx = x + side * 0.02 * u;
        double hy = sy + len;
        sleeve(x, sy, ex, ey, hx, hy, 1.0);
        if (a.carry() == Appearance.Carry.HANDBAG && (side < 0) == a.carryOnLeft()) {
            paintHandbag(hx, hy);
        }
    }

    /** Upper arm and forearm with the sleeve length of the clothing and a hand. */
    private void sleeve(double sx, double sy, double ex, double ey, double hx, double hy, double shade) {
        Color cloth = shade(a.upper(), shade);
        Color skin = shade(a.skin(), shade);
        limb(sx, sy, ex, ey, armW, cloth);
        limb(ex, ey, hx, hy, armW * 0.85, a.longSleeves() ? cloth : skin);
        if (!a.longSleeves()) {
            limb(sx, sy, sx + (ex - sx) * 0.6, sy + (ey - sy) * 0.6, armW * 1.05, cloth);
        }
        fill(new Ellipse2D.Double(hx - armW * 0.5, hy - armW * 0.4, armW, armW * 1.05), skin);
    }

    private void paintHandbag(double hx, double hy) {
        double w = 0.09 * u;
        double h = 0.075 * u;
        g.setColor(shade(a.carryColor(), 0.7));
        g.setStroke(new BasicStroke((float) Math.max(1, 0.008 * u)));
        g.draw(new Line2D.Double(hx, hy, hx - w * 0.3, hy + h * 0.4));
        g.draw(new Line2D.Double(hx, hy, hx + w * 0.3, hy + h * 0.4));
        fill(new RoundRectangle2D.Double(hx - w / 2, hy + h * 0.35, w, h, w * 0.2, w * 0.2), a.carryColor());
    }

    private void paintCarryFrontOrBack(boolean front, double sw, double hw) {
        switch (a.carry()) {
            case BACKPACK -> {
                if (front) { // only the straps show
                    strap(cx - sw * 0.55, shoulderY - 0.01 * u, cx - sw * 0.75, shoulderY + 0.2 * u);
                    strap(cx + sw * 0.55, shoulderY - 0.01 * u, cx + sw * 0.75, shoulderY + 0.2 * u);
                } else {
                    double w = sw * 1.45;
                    double h = 0.24 * u;
                    Shape bag = new RoundRectangle2D.Double(cx - w / 2, shoulderY + 0.01 * u, w, h, w * 0.35, w * 0.35);
                    fill(bag, a.carryColor());
                    fill(new RoundRectangle2D.Double(cx - w * 0.35, shoulderY + 0.12 * u, w * 0.7, h * 0.4,
                            w * 0.15, w * 0.15), shade(a.carryColor(), 0.75));
                }
            }
            case SHOULDER_BAG -> {
                // strap from one shoulder across the body to the bag on the other hip
                int bagSide = (a.carryOnLeft() ^ !front) ? -1 : 1;
                strap(cx - bagSide * sw * 0.6, shoulderY - 0.005 * u, cx + bagSide * hw * 1.1, hipY - 0.02 * u);
                double w = 0.11 * u;
                double h = 0.09 * u;
                fill(new RoundRectangle2D.Double(cx + bagSide * (hw * 1.1) - w / 2, hipY - 0.04 * u, w, h,
                        w * 0.2, w * 0.2), a.carryColor());
            }
            default -> {
                // handbags hang from a hand, painted with the arm
            }
        }
    }

    private void strap(double x0, double y0, double x1, double y1) {
        limb(x0, y0, x1, y1, Math.max(1.0, 0.018 * u), shade(a.carryColor(), 0.8));
    }

    private void paintNeckAndHead(boolean front) {
        double hy = top;
        double hx = cx - headW / 2;
        fill(new Rectangle2D.Double(cx - headW * 0.22, hy + headH * 0.8, headW * 0.44, shoulderY - hy - headH * 0.7), a.skin());
        Ellipse2D head = new Ellipse2D.Double(hx, hy, headW, headH);
        Color hair = a.hair();
        switch (a.hairStyle()) {
            case BALD -> fill(head, a.skin());
            case SHORT -> {
                fill(head, a.skin());
                if (front) {
                    fillClipped(head, new Rectangle2D.Double(hx, hy, headW, headH * 0.3), hair);
                } else {
                    fillClipped(head, new Rectangle2D.Double(hx, hy, headW, headH * 0.78), hair);
                }
            }
            case MEDIUM, LONG -> {
                if (front) {
                    fill(head, a.skin());
                    fillClipped(head, new Rectangle2D.Double(hx, hy, headW, headH * 0.33), hair);
                    // hair framing the face
                    fill(new Rectangle2D.Double(hx - headW * 0.06, hy + headH * 0.2, headW * 0.2, headH * 0.7), hair);
                    fill(new Rectangle2D.Double(hx + headW * 0.86, hy + headH * 0.2, headW * 0.2, headH * 0.7), hair);
                } else {
                    fill(new Ellipse2D.Double(hx - headW * 0.05, hy - headH * 0.02, headW * 1.1, headH * 1.05), hair);
                }
            }
        }
        if (front) { // eyes: two dark dots, enough to read as a face at 128 px
            double r = Math.max(0.6, headW * 0.07);
            fill(new Ellipse2D.Double(cx - headW * 0.2 - r, hy + headH * 0.47, 2 * r, 2 * r), new Color(30, 25, 25));
            fill(new Ellipse2D.Double(cx + headW * 0.2 - r, hy + headH * 0.47, 2 * r, 2 * r), new Color(30, 25, 25));
        }
    }

    private void paintHat(Viewpoint view) {
        if (!a.hasHat()) {
            return;
        }
        double hx = cx - headW / 2;
        Ellipse2D crown = new Ellipse2D.Double(hx - headW * 0.05, top - headH * 0.08, headW * 1.1, headH * 0.75);
        fillClipped(crown, new Rectangle2D.Double(hx - headW, top - headH, headW * 3, headH * 0.45 + headH), a.hat());
        if (view == Viewpoint.FRONT) {
            fill(new Rectangle2D.Double(hx - headW * 0.05, top + headH * 0.24, headW * 1.1, headH * 0.09),
                    shade(a.hat(), 0.75));
        } else if (view.isSide()) { // brim pointing forward (+x)
            fill(new Rectangle2D.Double(cx, top + headH * 0.24, headW * 0.85, headH * 0.09), shade(a.hat(), 0.75));
        }
    }

    // ---------------------------------------------------------------- side

    private void paintSide() {
        double sd = 0.07 * u * a.build();
        double hd = 0.065 * u * a.build();
        double thigh = legLen * 0.5;
        double shin = legLen * 0.5 - 0.03 * u;
        double legAngle = swing * 0.45;
        double armAngle = -swing * 0.5;
        if (a.hairStyle() == Appearance.Hair.LONG) {
            fill(new RoundRectangle2D.Double(cx - headW * 0.55, top + headH * 0.3, headW * 0.6,
                    shoulderY - top - headH * 0.3 + 0.09 * u, headW * 0.3, headW * 0.3), a.hair());
        }
        // far limbs first, slightly darker
        sideArm(-armAngle, 0.78);
        sideLeg(-legAngle, thigh, shin, 0.78);
        if (a.carry() == Appearance.Carry.BACKPACK) { // sticks out behind the back
            double w = 0.1 * u;
            fill(new RoundRectangle2D.Double(cx - sd - w * 0.85, shoulderY + 0.01 * u, w, 0.23 * u, w * 0.4, w * 0.4),
                    a.carryColor());
        }
        sideLeg(legAngle, thigh, shin, 1.0);
        if (a.lowerStyle() == Appearance.Lower.SKIRT) {
            Path2D.Double p = new Path2D.Double();
            p.moveTo(cx - hd, hipY - 0.01 * u);
            p.lineTo(cx + hd, hipY - 0.01 * u);
            p.lineTo(cx + hd * 1.6, hipY + legLen * 0.5);
            p.lineTo(cx - hd * 1.6, hipY + legLen * 0.5);
            p.closePath();
            fill(p, a.lower());
        }
        Path2D.Double torso = new Path2D.Double();
        double bottom = hipY + 0.03 * u;
        torso.moveTo(cx - sd * 0.9, shoulderY - 0.012 * u);
        torso.lineTo(cx + sd * 0.7, shoulderY - 0.012 * u);
        torso.quadTo(cx + sd * 1.15, shoulderY + 0.1 * u, cx + sd * 0.95, bottom);
        torso.lineTo(cx - hd, bottom);
        torso.quadTo(cx - sd * 1.05, shoulderY + 0.12 * u, cx - sd * 0.9, shoulderY - 0.012 * u);
        torso.closePath();
        fill(torso, a.upper());
        paintPattern(torso, Viewpoint.RIGHT, sd);
        if (a.carry() == Appearance.Carry.SHOULDER_BAG) {
            strap(cx + sd * 0.3, shoulderY - 0.01 * u, cx - sd * 0.4, hipY - 0.03 * u);
            double w = 0.08 * u;
            fill(new RoundRectangle2D.Double(cx - sd * 0.4 - w / 2, hipY - 0.05 * u, w, 0.09 * u, w * 0.2, w * 0.2),
                    a.carryColor());
        }
        fill(new Rectangle2D.Double(cx - headW * 0.2, top + headH * 0.8, headW * 0.4, shoulderY - top - headH * 0.7), a.skin());
        Ellipse2D head = new Ellipse2D.Double(cx - headW / 2, top, headW, headH);
        fill(head, a.skin());
        if (a.hairStyle() != Appearance.Hair.BALD) {
            double back = a.hairStyle() == Appearance.Hair.SHORT ? 0.55 : 0.62;
            fillClipped(head, new Rectangle2D.Double(cx - headW, top, headW * (0.5 + back), headH), a.hair());
            fillClipped(head, new Rectangle2D.Double(cx - headW, top, headW * 2, headH * 0.28), a.hair());
        }
        double r = Math.max(0.6, headW * 0.07);
        fill(new Ellipse2D.Double(cx + headW * 0.25 - r, top + headH * 0.47, 2 * r, 2 * r), new Color(30, 25, 25));
        paintHat(Viewpoint.RIGHT);
        sideArm(armAngle, 1.0);
    }

    private void sideLeg(double angle, double thigh, double shin, double shade) {
        double kx = cx + Math.sin(angle) * thigh;
        double ky = hipY + Math.cos(angle) * thigh;
        // the trailing leg bends at the knee
        double bend = angle < 0 ? -angle * 0.9 : 0;
        double fa = angle - bend;
        double fx = kx + Math.sin(fa) * shin;
        double fy = ky + Math.cos(fa) * shin;
        paintLegSegments(cx, hipY, kx, ky, fx, fy, shade);
        double shoeH = 0.03 * u;
        fill(new RoundRectangle2D.Double(fx - legW * 0.45, fy - shoeH * 0.3, legW * 1.35, shoeH * 1.3,
                shoeH, shoeH), shade(a.shoes(), shade));
    }

    private void sideArm(double angle, double shade) {
        double sx = cx;
        double sy = shoulderY + armW * 0.5;
        if (s.armRaised() && shade == 1.0) {
            sleeve(sx, sy, sx + 0.1 * u, sy + 0.1 * u, sx + 0.06 * u, sy - 0.07 * u, shade);
            return;
        }
        double upper = armLen * 0.5;
        double ex = sx + Math.sin(angle) * upper;
        double ey = sy + Math.cos(angle) * upper;
        double fa = angle + Math.max(0, angle) * 0.6; // elbow bends on the forward swing
        double hx = ex + Math.sin(fa) * upper;
        double hy = ey + Math.cos(fa) * upper;
        sleeve(sx, sy, ex, ey, hx, hy, shade);
        if (a.carry() == Appearance.Carry.HANDBAG && shade == 1.0) {
            paintHandbag(hx, hy);
        }
    }

    // ---------------------------------------------------------------- clothing patterns

    private void paintPattern(Shape torso, Viewpoint view, double halfWidth) {
        Shape savedClip = g.getClip();
        g.clip(torso);
        Rectangle2D b = torso.getBounds2D();
        Color accent = a.upperAccent();
        double period = 0.04 * u;
        switch (a.pattern()) {
            case PLAIN -> {
            }
            case STRIPES -> {
                for (double y = b.getMinY() + period * 0.5; y < b.getMaxY(); y += period) {
                    fill(new Rectangle2D.Double(b.getMinX(), y, b.getWidth(), period * 0.5), accent);
                }
            }
            case VERTICAL_STRIPES -> {
                for (double x = cx - period * 0.25 - period * 6; x < b.getMaxX(); x += period) {
                    fill(new Rectangle2D.Double(x, b.getMinY(), period * 0.5, b.getHeight()), accent);
                }
            }
            case CHECKS -> {
                double p = period * 1.4;
                Color band = new Color(accent.getRed(), accent.getGreen(), accent.getBlue(), 150);
                for (double y = b.getMinY(); y < b.getMaxY(); y += p) {
                    fill(new Rectangle2D.Double(b.getMinX(), y, b.getWidth(), p * 0.4), band);
                }
                for (double x = cx - p * 6; x < b.getMaxX(); x += p) {
                    fill(new Rectangle2D.Double(x, b.getMinY(), p * 0.4, b.getHeight()), band);
                }
            }
            case LOGO -> {
                if (view == Viewpoint.FRONT) {
                    double r = 0.05 * u;
                    fill(new Ellipse2D.Double(cx - r, shoulderY + 0.07 * u, 2 * r, 2 * r), accent);
                    fill(new Rectangle2D.Double(cx - r * 0.35, shoulderY + 0.07 * u + r * 0.6, r * 0.7, r * 0.8),
                            a.upper());
                }
            }
            case OPEN_JACKET -> {
                if (view == Viewpoint.FRONT) {
                    double w = halfWidth * 0.7;
                    fill(new Rectangle2D.Double(cx - w / 2, b.getMinY(), w, b.getHeight()), accent);
                } else if (view.isSide()) {
                    fill(new Rectangle2D.Double(b.getMaxX() - halfWidth * 0.35, b.getMinY(), halfWidth, b.getHeight()),
                            accent);
                }
            }
        }
        g.setClip(savedClip);
    }

    // ---------------------------------------------------------------- primitives

    private void limb(double x0, double y0, double x1, double y1, double width, Color c) {
        g.setColor(c);
        g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(x0, y0, x1, y1));
    }

    private void fill(Shape shape, Color c) {
        g.setColor(c);
        g.fill(shape);
    }

    private void fillClipped(Shape clip, Shape shape, Color c) {
        Shape saved = g.getClip();
        g.clip(clip);
        fill(shape, c);
        g.setClip(saved);
    }

    static Color shade(Color c, double f) {
        if (f == 1.0) {
            return c;
        }
        return new Color((int) (c.getRed() * f), (int) (c.getGreen() * f), (int) (c.getBlue() * f), c.getAlpha());
    }
}

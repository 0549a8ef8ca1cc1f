package org.reid.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** What a viewpoint shows: the whole backpack only from behind, a logo or open jacket only from the front. */
class PersonPainterTest {
    private static final Color BAG = new Color(255, 0, 255);
    private static final Color ACCENT = new Color(0, 255, 0);

    private static Appearance person(Appearance.Pattern pattern, Appearance.Carry carry) {
        return new Appearance(0.9, 1.0, 0.5, 1.0, new Color(230, 190, 150), new Color(40, 30, 20),
                Appearance.Hair.SHORT, new Color(30, 40, 120), ACCENT, pattern, true,
                new Color(60, 60, 60), Appearance.Lower.TROUSERS, Color.BLACK, carry, BAG, false, null, -1);
    }

    private static int count(Appearance a, Viewpoint view, Color c) {
        BufferedImage img = new BufferedImage(64, 128, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        PersonPainter.paint(g, a, Shot.neutral(view), 32, 122, 115);
        g.dispose();
        // the colour itself or its 0.8 shade (straps are painted a little darker than the bag)
        int exact = c.getRGB() & 0xFFFFFF;
        int shaded = PersonPainter.shade(c, 0.8).getRGB() & 0xFFFFFF;
        int n = 0;
        for (int p : PixelEffects.pixels(img)) {
            n += (p & 0xFFFFFF) == exact || (p & 0xFFFFFF) == shaded ? 1 : 0;
        }
        return n;
    }

    @Test
    void backpackFillsTheBackAndShowsOnlyStrapsFromTheFront() {
        Appearance a = person(Appearance.Pattern.PLAIN, Appearance.Carry.BACKPACK);
        int back = count(a, Viewpoint.BACK, BAG);
        int front = count(a, Viewpoint.FRONT, BAG);
        int side = count(a, Viewpoint.LEFT, BAG);
        assertThat(back).isGreaterThan(150);
        assertThat(side).isPositive().isLessThan(back);
        assertThat(front).isPositive().isLessThan(back / 2);
    }

    @Test
    void logoAndOpenJacketAreFrontFeatures() {
        for (Appearance.Pattern p : new Appearance.Pattern[] {Appearance.Pattern.LOGO, Appearance.Pattern.OPEN_JACKET}) {
            Appearance a = person(p, Appearance.Carry.NONE);
            assertThat(count(a, Viewpoint.FRONT, ACCENT)).as(p.name()).isGreaterThan(30);
            assertThat(count(a, Viewpoint.BACK, ACCENT)).as(p.name()).isZero();
        }
        Appearance striped = person(Appearance.Pattern.STRIPES, Appearance.Carry.NONE);
        assertThat(count(striped, Viewpoint.BACK, ACCENT)).isGreaterThan(30);
    }

    @Test
    void leftIsTheMirrorOfRight() {
        Appearance a = person(Appearance.Pattern.PLAIN, Appearance.Carry.SHOULDER_BAG);
        BufferedImage left = new BufferedImage(64, 128, BufferedImage.TYPE_INT_RGB);
        BufferedImage right = new BufferedImage(64, 128, BufferedImage.TYPE_INT_RGB);
        Graphics2D gl = left.createGraphics();
        PersonPainter.paint(gl, a, Shot.neutral(Viewpoint.LEFT), 32, 122, 115);
        gl.dispose();
        Graphics2D gr = right.createGraphics();
        PersonPainter.paint(gr, a, Shot.neutral(Viewpoint.RIGHT), 32, 122, 115);
        gr.dispose();
        int differing = 0;
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 64; x++) {
                differing += left.getRGB(x, y) != right.getRGB(63 - x, y) ? 1 : 0;
            }
        }
        // mirrored around x = 32 rather than 31.5, and anti-aliased: allow edge pixels to differ
        assertThat(differing).isLessThan(64 * 128 / 10);
        assertThat(count(a, Viewpoint.LEFT, BAG)).isPositive();
    }
}

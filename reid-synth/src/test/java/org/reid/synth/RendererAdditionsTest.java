package org.reid.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What the randomised pool added to the renderer: backdrops, clutter, crowds, motion blur, tone. */
class RendererAdditionsTest {
    private static final SceneRenderer RENDERER = new SceneRenderer(128, 64);

    private static CameraProfile camera(CameraProfile.Background bg, CameraProfile.FloorPattern floor,
                                        double clutter, CameraProfile.Tone tone) {
        return new CameraProfile(1, Viewpoint.FRONT, 1.0, new double[] {1, 1, 1}, 1.0, 0, 0,
                new Color(150, 140, 130), new Color(90, 90, 90), bg, 0.6, false, false, floor,
                CameraProfile.Framing.FIXED, tone, clutter, true);
    }

    private static int[] render(CameraProfile cam, Shot shot) {
        Appearance person = AppearanceSampler.random(new SplittableRandom(1), -1);
        return PixelEffects.pixels(RENDERER.render(person, cam, shot, new SplittableRandom(2))).clone();
    }

    @Test
    void everyBackgroundAndFloorKindPaintsSomethingOfItsOwn() {
        List<int[]> seen = new ArrayList<>();
        for (CameraProfile.Background bg : CameraProfile.Background.values()) {
            seen.add(render(camera(bg, CameraProfile.FloorPattern.PLAIN, 0, CameraProfile.Tone.NEUTRAL),
                    Shot.neutral(Viewpoint.FRONT)));
        }
        for (CameraProfile.FloorPattern fp : CameraProfile.FloorPattern.values()) {
            if (fp != CameraProfile.FloorPattern.PLAIN) {
                seen.add(render(camera(CameraProfile.Background.PLAIN, fp, 0, CameraProfile.Tone.NEUTRAL),
                        Shot.neutral(Viewpoint.FRONT)));
            }
        }
        for (int i = 0; i < seen.size(); i++) {
            for (int j = i + 1; j < seen.size(); j++) {
                assertThat(Arrays.equals(seen.get(i), seen.get(j))).as("kinds %d and %d look alike", i, j).isFalse();
            }
        }
    }

    @Test
    void clutterAndACrowdAddToTheSceneAndNothingIsAddedWithoutThem() {
        CameraProfile bare = camera(CameraProfile.Background.PLAIN, CameraProfile.FloorPattern.PLAIN, 0,
                CameraProfile.Tone.NEUTRAL);
        Shot plain = Shot.neutral(Viewpoint.FRONT);
        int[] clean = render(bare, plain);
        assertThat(render(bare, plain)).isEqualTo(clean);
        // full clutter paints on some seed of a few (a draw of zero things is allowed)
        boolean cluttered = false;
        for (long seed = 0; seed < 5 && !cluttered; seed++) {
            Appearance person = AppearanceSampler.random(new SplittableRandom(1), -1);
            CameraProfile busy = camera(CameraProfile.Background.PLAIN, CameraProfile.FloorPattern.PLAIN, 1.0,
                    CameraProfile.Tone.NEUTRAL);
            int[] a = PixelEffects.pixels(RENDERER.render(person, busy, plain, new SplittableRandom(seed)));
            int[] b = PixelEffects.pixels(RENDERER.render(person, bare, plain, new SplittableRandom(seed)));
            cluttered = !Arrays.equals(a, b);
        }
        assertThat(cluttered).as("clutter 1.0 painted nothing").isTrue();
        Shot crowd = new Shot(Viewpoint.FRONT, 0.6, 0.6, 0.02, false, 1, 0, 0, Shot.Occluder.CROWD, 0.2, 0.4, 1, 0, 0);
        assertThat(changedPixels(render(bare, crowd), clean)).as("a crowd covers part of the crop")
                .isGreaterThan(clean.length / 10);
    }

    @Test
    void motionBlurSmearsAlongItsDirectionOnly() {
        BufferedImage img = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
        int[] px = PixelEffects.pixels(img);
        for (int y = 0; y < 10; y++) {
            for (int x = 10; x < 20; x++) {
                px[y * 20 + x] = 0xFFFFFF; // black left half, white right half
            }
        }
        int[] before = px.clone();
        PixelEffects.motionBlur(img, 1.4, 0); // under two taps: nothing to smear
        assertThat(px).isEqualTo(before);
        PixelEffects.motionBlur(img, 6, 0);
        int edge = px[5 * 20 + 10] & 0xFF;
        assertThat(edge).isStrictlyBetween(0, 255);
        assertThat(px[5 * 20]).isZero();
        assertThat(px[5 * 20 + 19]).isEqualTo(0xFFFFFF);
        BufferedImage vertical = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
        System.arraycopy(before, 0, PixelEffects.pixels(vertical), 0, before.length);
        PixelEffects.motionBlur(vertical, 6, Math.PI / 2); // along the edge: it stays sharp
        assertThat(PixelEffects.pixels(vertical)).isEqualTo(before);
    }

    @Test
    void toneDesaturatesAndBendsTheCurve() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        int[] px = PixelEffects.pixels(img);
        px[0] = new Color(200, 40, 40).getRGB() & 0xFFFFFF;
        px[1] = 0x808080;
        PixelEffects.tone(img, 0, 1);
        Color grey = new Color(px[0]);
        assertThat(grey.getRed()).isEqualTo(grey.getGreen()).isEqualTo(grey.getBlue());
        assertThat(px[1]).isEqualTo(0x808080);
        PixelEffects.tone(img, 1, 2);
        assertThat(px[1] & 0xFF).isLessThan(0x80); // gamma 2 darkens mid-grey
    }

    private static int changedPixels(int[] a, int[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                n++;
            }
        }
        return n;
    }
}

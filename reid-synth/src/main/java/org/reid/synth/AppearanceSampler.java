package org.reid.synth;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws identities. Most are independent; a {@code lookAlikeFraction} of them come in groups of 2-4
 * that share upper and lower clothing colours (and clothing cut) and differ only in a pattern,
 * hair or accessory: the "highly similar appearance" hard case of the MVP paper.
 */
final class AppearanceSampler {

    /** Clothing colours as seen on streets: many dark and neutral tones, some bright ones. */
    private static final Color[] CLOTHES = {
        new Color(25, 25, 28), new Color(40, 40, 45), new Color(235, 235, 230), new Color(128, 128, 130),
        new Color(30, 40, 80), new Color(50, 90, 170), new Color(70, 110, 150), new Color(180, 30, 35),
        new Color(120, 25, 40), new Color(40, 110, 55), new Color(90, 105, 50), new Color(190, 170, 120),
        new Color(110, 75, 45), new Color(225, 190, 40), new Color(230, 130, 160), new Color(110, 60, 140),
        new Color(235, 110, 30), new Color(60, 160, 170), new Color(175, 175, 180), new Color(210, 200, 170),
    };
    private static final Color[] SKIN = {
        new Color(250, 215, 185), new Color(235, 190, 150), new Color(205, 150, 110),
        new Color(160, 110, 75), new Color(115, 75, 50), new Color(80, 55, 40),
    };
    private static final Color[] HAIR = {
        new Color(20, 18, 16), new Color(60, 40, 25), new Color(110, 75, 40), new Color(200, 165, 95),
        new Color(150, 60, 30), new Color(170, 170, 170),
    };
    private static final Color[] SHOES = {
        new Color(20, 20, 20), new Color(240, 240, 240), new Color(90, 60, 40), new Color(60, 60, 70),
    };

    private AppearanceSampler() {
    }

    /** Appearances for identities 1..n (index 0 is identity 1), deterministic in {@code seed}. */
    static List<Appearance> sample(int n, double lookAlikeFraction, long seed) {
        SplittableRandom rnd = Seeds.random(seed, 1);
        List<Appearance> out = new ArrayList<>(n);
        int lookAlikes = (int) Math.round(lookAlikeFraction * n);
        int group = 0;
        while (out.size() < lookAlikes) {
            int size = Math.min(2 + rnd.nextInt(3), lookAlikes - out.size());
            if (size < 2) {
                break; // a group of one is no look-alike; the rest are independent
            }
            Appearance template = random(rnd, -1);
            for (int i = 0; i < size; i++) {
                out.add(i == 0 ? withGroup(template, group) : variant(template, group, rnd));
            }
            group++;
        }
        while (out.size() < n) {
            out.add(random(rnd, -1));
        }
        // interleave groups with the rest so that both splits get look-alikes
        shuffle(out, rnd);
        return out;
    }

    static Appearance random(SplittableRandom rnd, int group) {
        Color upperBase = pick(CLOTHES, rnd);
        Color upper = jitter(upperBase, rnd, 18);
        Color accent = jitter(pickOther(CLOTHES, upperBase, rnd), rnd, 18);
        Color lower = jitter(pick(CLOTHES, rnd), rnd, 14);
        Appearance.Pattern pattern = weighted(Appearance.Pattern.values(), new double[] {4, 1.2, 0.8, 1, 1.2, 1}, rnd);
        Appearance.Lower lowerStyle = weighted(Appearance.Lower.values(), new double[] {6, 1.5, 1.2}, rnd);
        Appearance.Hair hairStyle = weighted(Appearance.Hair.values(), new double[] {0.4, 4, 2, 2}, rnd);
        Appearance.Carry carry = weighted(Appearance.Carry.values(), new double[] {4, 2, 1.5, 1}, rnd);
        Color hat = rnd.nextDouble() < 0.15 ? jitter(pick(CLOTHES, rnd), rnd, 10) : null;
        return new Appearance(
                0.80 + 0.12 * rnd.nextDouble(),
                0.82 + 0.40 * rnd.nextDouble(),
                0.46 + 0.07 * rnd.nextDouble(),
                0.9 + 0.2 * rnd.nextDouble(),
                jitter(pick(SKIN, rnd), rnd, 8),
                jitter(pick(HAIR, rnd), rnd, 10),
                hairStyle,
                upper, accent, pattern, rnd.nextDouble() < 0.6,
                lower, lowerStyle,
                jitter(pick(SHOES, rnd), rnd, 10),
                carry, jitter(pick(CLOTHES, rnd), rnd, 12), rnd.nextBoolean(),
                hat, group);
    }

    /** Same clothes colours and cut, one or two visible differences. */
    private static Appearance variant(Appearance t, int group, SplittableRandom rnd) {
        Appearance.Pattern pattern = t.pattern();
        Appearance.Carry carry = t.carry();
        Appearance.Hair hairStyle = t.hairStyle();
        Color hat = t.hat();
        Color accent = t.upperAccent();
        int changes = 1 + rnd.nextInt(2);
        for (int i = 0; i < changes; i++) {
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    pattern = pickOther(Appearance.Pattern.values(), pattern, rnd);
                    accent = jitter(pickOther(CLOTHES, t.upper(), rnd), rnd, 18);
                }
                case 1 -> carry = pickOther(Appearance.Carry.values(), carry, rnd);
                case 2 -> hairStyle = pickOther(Appearance.Hair.values(), hairStyle, rnd);
                default -> hat = hat == null ? jitter(pick(CLOTHES, rnd), rnd, 10) : null;
            }
        }
        return new Appearance(
                0.80 + 0.12 * rnd.nextDouble(),
                0.82 + 0.40 * rnd.nextDouble(),
                t.legShare(), 0.9 + 0.2 * rnd.nextDouble(),
                jitter(pick(SKIN, rnd), rnd, 8), jitter(pick(HAIR, rnd), rnd, 10), hairStyle,
                jitter(t.upper(), rnd, 6), accent, pattern, t.longSleeves(),
                jitter(t.lower(), rnd, 6), t.lowerStyle(), t.shoes(),
                carry, jitter(pick(CLOTHES, rnd), rnd, 12), rnd.nextBoolean(), hat, group);
    }

    private static Appearance withGroup(Appearance a, int group) {
        return new Appearance(a.stature(), a.build(), a.legShare(), a.headScale(), a.skin(), a.hair(),
                a.hairStyle(), a.upper(), a.upperAccent(), a.pattern(), a.longSleeves(), a.lower(),
                a.lowerStyle(), a.shoes(), a.carry(), a.carryColor(), a.carryOnLeft(), a.hat(), group);
    }

    static Color pick(Color[] palette, SplittableRandom rnd) {
        return palette[rnd.nextInt(palette.length)];
    }

    static Color clothes(SplittableRandom rnd) {
        return jitter(pick(CLOTHES, rnd), rnd, 20);
    }

    private static <T> T pickOther(T[] values, T not, SplittableRandom rnd) {
        T v;
        do {
            v = values[rnd.nextInt(values.length)];
        } while (v.equals(not));
        return v;
    }

    private static <T> T weighted(T[] values, double[] weights, SplittableRandom rnd) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double r = rnd.nextDouble() * total;
        for (int i = 0; i < values.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    static Color jitter(Color c, SplittableRandom rnd, int amount) {
        return new Color(clamp(c.getRed() + rnd.nextInt(-amount, amount + 1)),
                clamp(c.getGreen() + rnd.nextInt(-amount, amount + 1)),
                clamp(c.getBlue() + rnd.nextInt(-amount, amount + 1)));
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rnd) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}

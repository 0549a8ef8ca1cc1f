package org.reid.synth;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from the master seed and a path of integers (identity,
 * image, purpose). Every image owns its own stream, so rendering in parallel, in any order,
 * produces the same pixels.
 */
final class Seeds {
    private Seeds() {
    }

    static SplittableRandom random(long seed, long... path) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long p : path) {
            h = mix(h ^ mix(p + 0x632BE59BD9B4E019L));
        }
        return new SplittableRandom(h);
    }

    /** SplitMix64 finaliser: a bijective avalanche of 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

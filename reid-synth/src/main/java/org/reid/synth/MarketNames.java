package org.reid.synth;

import java.util.Locale;

/** Market-1501 file names: {@code 0002_c1s1_000451_01.jpg}, junk as {@code -1_c1s1_000451_01.jpg}. */
final class MarketNames {
    static final int JUNK = -1;
    static final int DISTRACTOR = 0;

    private MarketNames() {
    }

    static String format(int pid, int camera, int frame, int bbox) {
        String id = pid == JUNK ? "-1" : String.format(Locale.ROOT, "%04d", pid);
        return String.format(Locale.ROOT, "%s_c%ds1_%06d_%02d.jpg", id, camera, frame, bbox);
    }
}

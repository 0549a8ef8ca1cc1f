package org.reid.core.eval;

import java.util.Arrays;

/**
 * Scores one query row under the Market-1501 protocol without sorting the whole gallery.
 *
 * <p>Only the positions of the true matches in the filtered ranking matter for CMC, AP and INP.
 * The matches (usually a handful) are sorted; every other kept gallery item is then placed
 * between two consecutive matches by binary search. That is O(G log m) per query instead of the
 * O(G log G) of a full argsort, and it needs no per-query array of gallery size.
 *
 * <p>Order: item a precedes item b when {@code d[a] < d[b]}, or when they are equal and
 * {@code a < b} (the order of a stable argsort). torchreid's argsort is not stable, so on exact
 * ties it may differ; without ties the result is the same.
 *
 * <p>Not thread-safe: holds scratch buffers; use one instance per thread.
 */
final class QueryRanking {
    private int[] matchIndex = new int[16];
    private double[] matchDistance = new double[16];
    private int[] before = new int[17];

    /** Result for one query; {@code valid} false means the query is skipped. */
    record Score(boolean valid, int firstMatchPosition, double averagePrecision, double inversePenalty) {
        static final Score SKIPPED = new Score(false, -1, 0, 0);
    }

    Score score(int query, double[] row, int qPid, int qCam, int[] gPids, int[] gCams) {
        int g = gPids.length;
        int m = 0;
        for (int j = 0; j < g; j++) {
            double d = row[j];
            if (Double.isNaN(d)) {
                throw new IllegalArgumentException(
                        "distance of query " + query + " to gallery item " + j + " is NaN");
            }
            if (gPids[j] == qPid && gCams[j] != qCam) {
                if (m == matchIndex.length) {
                    grow();
                }
                matchIndex[m++] = j;
            }
        }
        if (m == 0) {
            return Score.SKIPPED;
        }
        sortMatches(row, m);

        // before[h] = number of kept non-matches placed between match h-1 and match h.
        Arrays.fill(before, 0, m + 1, 0);
        double last = matchDistance[m - 1];
        for (int j = 0; j < g; j++) {
            if (gPids[j] == qPid) {
                continue; // a match, or a same-camera image of the identity (discarded)
            }
            double d = row[j];
            if (d > last || (d == last && j > matchIndex[m - 1])) {
                continue; // after every match: changes nothing
            }
            before[slot(d, j, m)]++;
        }

        double apSum = 0;
        int position = -1;
        int firstPosition = -1;
        for (int h = 0; h < m; h++) {
            position += before[h] + 1;
            if (h == 0) {
                firstPosition = position;
            }
            apSum += (h + 1) / (double) (position + 1);
        }
        return new Score(true, firstPosition, apSum / m, m / (double) (position + 1));
    }

    /** Number of matches that precede item (d, j); matches are sorted by (distance, index). */
    private int slot(double d, int j, int m) {
        int lo = 0;
        int hi = m;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double md = matchDistance[mid];
            if (md < d || (md == d && matchIndex[mid] < j)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Sorts the m matches by (distance, index), filling matchDistance in the same order. */
    private void sortMatches(double[] row, int m) {
        // Insertion sort: m is the number of images of one identity, small in practice;
        // fall back to a general sort for identities with very many images.
        if (m <= 64) {
            for (int a = 0; a < m; a++) {
                int idx = matchIndex[a];
                double d = row[idx];
                int b = a - 1;
                while (b >= 0 && (matchDistance[b] > d || (matchDistance[b] == d && matchIndex[b] > idx))) {
                    matchIndex[b + 1] = matchIndex[b];
                    matchDistance[b + 1] = matchDistance[b];
                    b--;
                }
                matchIndex[b + 1] = idx;
                matchDistance[b + 1] = d;
            }
            return;
        }
        Integer[] order = new Integer[m];
        for (int a = 0; a < m; a++) {
            order[a] = matchIndex[a];
        }
        Arrays.sort(order, (x, y) -> {
            double dx = row[x];
            double dy = row[y];
            return dx < dy ? -1 : dx > dy ? 1 : Integer.compare(x, y);
        });
        for (int a = 0; a < m; a++) {
            matchIndex[a] = order[a];
            matchDistance[a] = row[order[a]];
        }
    }

    private void grow() {
        int n = matchIndex.length * 2;
        matchIndex = Arrays.copyOf(matchIndex, n);
        matchDistance = Arrays.copyOf(matchDistance, n);
        before = Arrays.copyOf(before, n + 1);
    }
}

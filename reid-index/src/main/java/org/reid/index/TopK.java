package org.reid.index;

/**
 * The {@code k} best (score, row) pairs seen so far, as a min-heap on score: a new pair costs one
 * comparison with the current k-th best unless it enters the top-k.
 */
final class TopK {

    private final float[] scores;
    private final int[] rows;
    private int size;

    TopK(int k) {
        scores = new float[k];
        rows = new int[k];
    }

    /** The score a pair must beat to enter, or -infinity while fewer than k are held. */
    float threshold() {
        return size < scores.length ? Float.NEGATIVE_INFINITY : scores[0];
    }

    void offer(float score, int row) {
        if (size < scores.length) {
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (scores[parent] <= score) {
                    break;
                }
                scores[i] = scores[parent];
                rows[i] = rows[parent];
                i = parent;
            }
            scores[i] = score;
            rows[i] = row;
        } else if (score > scores[0]) {
            siftDownFromRoot(score, row);
        }
    }

    private void siftDownFromRoot(float score, int row) {
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && scores[child + 1] < scores[child]) {
                child++;
            }
            if (scores[child] >= score) {
                break;
            }
            scores[i] = scores[child];
            rows[i] = rows[child];
            i = child;
        }
        scores[i] = score;
        rows[i] = row;
    }

    int size() {
        return size;
    }

    /** Rows best first; {@code outScores} receives their scores. Empties the heap. */
    int[] drainBestFirst(float[] outScores) {
        int n = size;
        int[] best = new int[n];
        for (int i = n - 1; i >= 0; i--) {
            best[i] = rows[0];
            outScores[i] = scores[0];
            size--;
            if (size > 0) {
                float lastScore = scores[size];
                int lastRow = rows[size];
                siftDownFromRoot(lastScore, lastRow);
            }
        }
        return best;
    }
}

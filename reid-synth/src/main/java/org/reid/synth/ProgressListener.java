package org.reid.synth;

/**
 * Told how many images are written so far. Called from worker threads (never concurrently: calls
 * are serialised), so an implementation need not lock, but should be quick.
 */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    void onProgress(int done, int total);
}

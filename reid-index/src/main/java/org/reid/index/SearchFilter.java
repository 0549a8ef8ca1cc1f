package org.reid.index;

import java.util.Set;

/**
 * Which entries a search may return: cameras to keep (empty: all), cameras to drop, and a capture
 * time window in epoch milliseconds (null: open).
 */
public record SearchFilter(Set<Integer> cameras, Set<Integer> excludeCameras, Long fromMillis, Long toMillis) {
    public static final SearchFilter NONE = new SearchFilter(Set.of(), Set.of(), null, null);

    public SearchFilter {
        cameras = cameras == null ? Set.of() : Set.copyOf(cameras);
        excludeCameras = excludeCameras == null ? Set.of() : Set.copyOf(excludeCameras);
    }

    public boolean isEmpty() {
        return cameras.isEmpty() && excludeCameras.isEmpty() && fromMillis == null && toMillis == null;
    }

    public boolean accepts(int cameraId, long capturedAtMillis) {
        if (!cameras.isEmpty() && !cameras.contains(cameraId)) {
            return false;
        }
        if (excludeCameras.contains(cameraId)) {
            return false;
        }
        if (fromMillis != null && capturedAtMillis < fromMillis) {
            return false;
        }
        return toMillis == null || capturedAtMillis <= toMillis;
    }
}

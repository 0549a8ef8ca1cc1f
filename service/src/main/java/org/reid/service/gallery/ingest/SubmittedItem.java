package org.reid.service.gallery.ingest;

import java.time.Instant;

/** One crop of a batch as submitted: file name, identity label, camera, capture time and bytes. */
public record SubmittedItem(String fileName, String identity, int cameraId, Instant capturedAt, byte[] bytes) {
}

package org.reid.index;

/** One entry found by a search; {@code score} is the cosine similarity to the (normalised) query. */
public record IndexHit(long entryId, long identityId, int cameraId, long capturedAtMillis, float score) {
}

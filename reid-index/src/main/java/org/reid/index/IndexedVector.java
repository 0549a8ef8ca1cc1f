package org.reid.index;

/**
 * One gallery entry's embedding as the index holds it, with the fields searches filter and group
 * on. The vector is the model's raw embedding; the index L2-normalises it.
 */
public record IndexedVector(long entryId, long identityId, int cameraId, long capturedAtMillis, float[] vector) {
}

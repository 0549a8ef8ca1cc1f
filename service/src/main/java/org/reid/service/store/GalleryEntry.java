package org.reid.service.store;

import java.time.Instant;

/**
 * What is known of one stored crop of an identity (a row of {@code gallery_entry}), without its
 * bytes: listings never load them. The bytes, kept so that a new model can re-embed the gallery,
 * are read by {@link CropImages}; rows are written by {@code gallery.GalleryWriter}'s bulk insert.
 */
public record GalleryEntry(long id, long identityId, String sha256, int cameraId, Instant capturedAt, String source,
        String contentType, int width, int height, Instant createdAt) {}

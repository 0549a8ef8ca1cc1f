package org.reid.service.gallery;

import java.time.Instant;
import java.util.List;

/** What the identity and entry calls answer (docs/api.md). */
public final class GalleryViews {
    private GalleryViews() {}

    public record IdentityView(long id, String label, long entryCount, List<Integer> cameras, Instant firstSeen,
            Instant lastSeen, String thumbnailUrl) {}

    public record EntryView(long id, long identityId, String label, int cameraId, Instant capturedAt, String sha256,
            String contentType, int width, int height, String source, Instant createdAt, String imageUrl) {}

    public record PageView<T>(List<T> content, int page, int size, long totalElements, int totalPages) {}

    static String imageUrl(long entryId) {
        return "/api/v1/entries/" + entryId + "/image";
    }
}

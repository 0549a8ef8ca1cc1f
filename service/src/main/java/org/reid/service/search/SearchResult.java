package org.reid.service.search;

import java.time.Instant;
import java.util.List;

/** The answer of {@code POST /api/v1/search} (docs/api.md). */
public record SearchResult(ModelRef model, boolean unknown, double threshold, List<RankedIdentity> identities, Timings timings) {

    public record ModelRef(long id, String name, String version) {}

    /**
     * One identity of the answer. {@code score} is always the cosine similarity of its best entry
     * (the scale of the threshold and the verdict); {@code distance} is the same as a Euclidean
     * distance of unit vectors; {@code rerankedDistance} is the k-reciprocal distance that ordered
     * the answer when re-ranking was asked for, else null.
     */
    public record RankedIdentity(long identityId, String label, double score, double distance, Double rerankedDistance,
            int matches, List<MatchedEntry> bestEntries) {}

    public record MatchedEntry(long entryId, int cameraId, Instant capturedAt, double score, String imageUrl) {}

    public record Timings(double decodeMs, double embedMs, double searchMs, double totalMs) {}
}

package org.reid.service.search;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code POST /api/v1/search} (docs/api.md): {@code threshold} is the one the verdict
 * used and {@code thresholdScope} says which it is ("all cameras", "2 crops", "camera pair 2->5",
 * "configured").
 */
public record SearchResult(ModelRef model, boolean unknown, double threshold,
        @Schema(description = "which threshold decided the verdict: \"all cameras\", \"2 crops\" (a multi-crop query's"
                + " own), \"camera pair 2->5\" (the query's camera and its best match's entry's camera) or \"configured\"")
        String thresholdScope,
        List<RankedIdentity> identities, Timings timings) {

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

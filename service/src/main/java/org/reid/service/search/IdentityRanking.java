package org.reid.service.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reid.index.IndexHit;

/**
 * Groups entry hits (in answer order: by cosine, or re-ranked) into identities in the order their
 * first entry comes: an identity's score is its best entry's cosine, its matches are how many of
 * its entries are among the hits, and it keeps its entries in answer order.
 */
final class IdentityRanking {
    /** One identity's share of the hits, best entry first. */
    record Group(long identityId, List<IndexHit> hits) {
        float score() {
            return best().score();
        }

        /** The entry of the best cosine (the identity's score; with re-ranking not always the first). */
        IndexHit best() {
            IndexHit best = hits.get(0);
            for (IndexHit h : hits) {
                if (h.score() > best.score()) {
                    best = h;
                }
            }
            return best;
        }
    }

    private IdentityRanking() {}

    /** {@code hits} in answer order, best first. */
    static List<Group> group(List<IndexHit> hits, int topK) {
        Map<Long, List<IndexHit>> byIdentity = new LinkedHashMap<>();
        for (IndexHit h : hits) {
            byIdentity.computeIfAbsent(h.identityId(), k -> new ArrayList<>()).add(h);
        }
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<Long, List<IndexHit>> e : byIdentity.entrySet()) {
            if (groups.size() == topK) {
                break;
            }
            groups.add(new Group(e.getKey(), e.getValue()));
        }
        return groups;
    }
}

package org.reid.service.search;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.reid.core.eval.KReciprocalReranker;
import org.reid.core.util.UnitVectors;
import org.reid.index.IndexHit;
import org.reid.index.SearchFilter;
import org.reid.index.VectorIndex;
import org.reid.service.config.ReidProperties;
import org.reid.service.problem.Rejection;
import org.reid.service.security.AuditLog;
import org.reid.service.serving.ActiveModel;
import org.reid.service.serving.IndexProgress;
import org.reid.service.serving.ServingModel;
import org.reid.service.serving.ThresholdCalibration;
import org.reid.service.store.Identity;
import org.reid.service.store.Identities;
import org.springframework.stereotype.Service;

/**
 * "Who is this?": embeds the query crops with the serving model, searches that model's index and
 * ranks identities. The whole request runs on one {@link ServingModel}, so a model swap in the
 * middle of it cannot mix embeddings of two versions.
 */
@Service
public class SearchService {
    private static final int BEST_ENTRIES = 3;
    private static final int MIN_CANDIDATES = 50;

    private final ActiveModel models;
    private final Identities identities;
    private final AuditLog audit;
    private final ReidProperties.Search settings;
    private final MeterRegistry meters;

    public SearchService(ActiveModel models, Identities identities, AuditLog audit, ReidProperties properties,
            MeterRegistry meters) {
        this.models = models;
        this.identities = identities;
        this.audit = audit;
        this.settings = properties.getSearch();
        this.meters = meters;
    }

    public SearchResult search(SearchQuery query, double decodeMs) {
        long t0 = System.nanoTime();
        ServingModel model = models.acquire();
        try {
            return search(model, query, decodeMs, t0);
        } finally {
            model.release();
        }
    }

    private SearchResult search(ServingModel model, SearchQuery query, double decodeMs, long t0) {
        IndexProgress building = model.indexProgress();
        if (!building.searchable()) {
            // a part of the gallery would answer wrongly, not late: refused until the build is complete
            throw Rejection.unavailable("the gallery index of model " + model.label() + " is being built from PostgreSQL ("
                    + building.done() + " of " + building.total() + " entries); searches are answered once it is complete");
        }
        List<float[]> vectors = model.batcher().embed(query.images().stream().map(i -> i.pixels()).toList());
        List<float[]> crops = vectors.stream().map(UnitVectors::of).toList();
        long t1 = System.nanoTime();
        VectorIndex index = model.index();
        int candidates = Math.min(Math.max(index.size(), 1),
                Math.max(MIN_CANDIDATES, query.topK() * settings.getCandidatesPerIdentity()));
        List<IndexHit> hits = searchFused(index, crops, candidates, query.filter());
        Map<Long, Double> reranked = Map.of();
        if (query.rerank() && hits.size() > 1) {
            reranked = rerankedDistances(index, hits);
            Map<Long, Double> d = reranked;
            hits = new ArrayList<>(hits);
            hits.sort(Comparator.comparingDouble(h -> d.getOrDefault(h.entryId(), Double.MAX_VALUE)));
        }
        List<IdentityRanking.Group> groups = IdentityRanking.group(hits, query.topK());
        long t2 = System.nanoTime();
        List<SearchResult.RankedIdentity> ranked = describe(groups, reranked);
        ThresholdCalibration.Applied threshold = threshold(model, query, groups, ranked);
        // The verdict is about the identity answered first, on the scale the threshold is calibrated
        // on: its cosine score fused over the query's crops (re-ranking only orders; its distances
        // are on another scale), against the threshold calibrated for that many crops, or for the
        // query's camera and the camera of that identity's best entry.
        boolean unknown = ranked.isEmpty() || ranked.get(0).score() < threshold.value();
        long t3 = System.nanoTime();
        SearchResult result = new SearchResult(
                new SearchResult.ModelRef(model.id(), model.registered().name(), model.registered().version()),
                unknown, threshold.value(), threshold.scope(), ranked,
                new SearchResult.Timings(round(decodeMs), ms(t1 - t0), ms(t2 - t1), round(decodeMs + ms(t3 - t0))));
        audit.record("search", ranked.isEmpty() ? null : "identity:" + ranked.get(0).identityId(), ranked.size(),
                "model=" + model.label() + " images=" + query.images().size() + " unknown=" + unknown
                        + (query.camera() != null ? " camera=" + query.camera() : "")
                        + (query.rerank() ? " rerank=true" : ""));
        Timer.builder("reid.search.latency").description("search requests, by outcome")
                .tag("outcome", unknown ? "unknown" : "match").publishPercentileHistogram().register(meters)
                .record(t3 - t0 + (long) (decodeMs * 1e6), TimeUnit.NANOSECONDS);
        return result;
    }

    /**
     * The threshold of this query: of its crop count, or of its camera and the gallery camera of the
     * best entry of the identity answered first, as the model's calibration has them; the configured
     * one before any calibration.
     */
    private ThresholdCalibration.Applied threshold(ServingModel model, SearchQuery query, List<IdentityRanking.Group> groups,
            List<SearchResult.RankedIdentity> ranked) {
        if (model.threshold() == null) {
            return new ThresholdCalibration.Applied(settings.getUnknownThreshold(), "configured");
        }
        Integer galleryCamera = null;
        if (!ranked.isEmpty()) {
            long first = ranked.get(0).identityId();
            for (IdentityRanking.Group g : groups) {
                if (g.identityId() == first) {
                    galleryCamera = g.best().cameraId();
                }
            }
        }
        return model.threshold().forQuery(query.images().size(), query.camera(), galleryCamera);
    }

    private List<SearchResult.RankedIdentity> describe(List<IdentityRanking.Group> groups, Map<Long, Double> reranked) {
        Map<Long, String> labels = new HashMap<>();
        for (Identity i : identities.findAll(groups.stream().map(IdentityRanking.Group::identityId).toList())) {
            labels.put(i.id(), i.label());
        }
        List<SearchResult.RankedIdentity> out = new ArrayList<>();
        for (IdentityRanking.Group g : groups) {
            String label = labels.get(g.identityId());
            if (label == null) {
                continue; // erased while this search ran
            }
            List<SearchResult.MatchedEntry> best = g.hits().stream().limit(BEST_ENTRIES)
                    .map(h -> new SearchResult.MatchedEntry(h.entryId(), h.cameraId(),
                            java.time.Instant.ofEpochMilli(h.capturedAtMillis()), round(h.score()),
                            "/api/v1/entries/" + h.entryId() + "/image"))
                    .toList();
            double score = g.score();
            Double rerankedDistance = reranked.isEmpty() ? null : round(reranked.get(g.hits().get(0).entryId()));
            out.add(new SearchResult.RankedIdentity(g.identityId(), label, round(score),
                    round(Math.sqrt(Math.max(0, 2 - 2 * score))), rerankedDistance, g.hits().size(), best));
        }
        return out;
    }

    /**
     * k-reciprocal re-ranking over the query and its candidates (squared Euclidean distances of
     * normalised vectors): the re-ranked distance in [0, 1] of each hit's entry, which orders the
     * answer; the hits keep their cosine scores. Empty when an entry vanished (erased) meanwhile:
     * the plain ranking stands.
     */
    private static Map<Long, Double> rerankedDistances(VectorIndex index, List<IndexHit> hits) {
        int n = hits.size();
        float[][] g = new float[n][];
        for (int i = 0; i < n; i++) {
            g[i] = index.vector(hits.get(i).entryId()).orElse(null);
            if (g[i] == null) {
                return Map.of();
            }
        }
        float[][] qg = new float[1][n];
        for (int j = 0; j < n; j++) {
            qg[0][j] = Math.max(0f, 2f - 2f * hits.get(j).score());
        }
        float[][] gg = new float[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                float d = Math.max(0f, 2f - 2f * dot(g[i], g[j]));
                gg[i][j] = d;
                gg[j][i] = d;
            }
        }
        int k1 = Math.min(KReciprocalReranker.DEFAULT_K1, n);
        int k2 = Math.min(KReciprocalReranker.DEFAULT_K2, n);
        double[][] d = KReciprocalReranker.rerank(qg, new float[1][1], gg, k1, k2, KReciprocalReranker.DEFAULT_LAMBDA);
        Map<Long, Double> out = new HashMap<>();
        for (int j = 0; j < n; j++) {
            out.put(hits.get(j).entryId(), d[0][j]);
        }
        return out;
    }

    /**
     * One search per query crop, fused per entry by the best cosine: a second crop of the same
     * person can only raise a true match's score. (Averaging the crops into one query lowered it:
     * three crops of one person came back "unknown" where one crop matched.)
     */
    private static List<IndexHit> searchFused(VectorIndex index, List<float[]> crops, int candidates, SearchFilter filter) {
        if (crops.size() == 1) {
            return index.search(crops.get(0), candidates, filter);
        }
        Map<Long, IndexHit> best = new HashMap<>();
        for (float[] crop : crops) {
            for (IndexHit h : index.search(crop, candidates, filter)) {
                best.merge(h.entryId(), h, (a, b) -> a.score() >= b.score() ? a : b);
            }
        }
        List<IndexHit> fused = new ArrayList<>(best.values());
        fused.sort(Comparator.comparingDouble(IndexHit::score).reversed().thenComparingLong(IndexHit::entryId));
        return fused.subList(0, Math.min(candidates, fused.size()));
    }

    private static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double ms(long nanos) {
        return round(nanos / 1e6);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}

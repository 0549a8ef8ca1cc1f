package org.reid.service.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reid.core.eval.EmbeddingDistances;
import org.reid.core.eval.ReidEvaluator;
import org.reid.core.eval.ReidMetrics;
import org.reid.core.util.UnitVectors;
import org.reid.service.image.ImageGuard;
import org.reid.service.serving.ServingModel;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The validation split the promotion gate compares models on, drawn from the gallery itself:
 * identities seen by at least two cameras; the first crop of each is the query, the rest of their
 * crops the gallery; scored with the Market-1501 protocol (same-camera matches of the query's
 * identity are not counted). Both models are scored on exactly these crops.
 */
@Component
public class GalleryValidation {
    /** A split: queries and gallery crops with identity and camera. */
    public record Split(List<byte[]> queryImages, int[] qPids, int[] qCams, List<byte[]> galleryImages, int[] gPids,
            int[] gCams) {
        public int identities() {
            return qPids.length;
        }
    }

    private record Row(long identity, int camera, byte[] image) {}

    private final JdbcTemplate jdbc;
    private final ImageGuard guard;

    public GalleryValidation(JdbcTemplate jdbc, ImageGuard guard) {
        this.jdbc = jdbc;
        this.guard = guard;
    }

    /** Up to {@code maxIdentities} identities (lowest ids first), at most {@code perIdentity} crops each. */
    public Split split(int maxIdentities, int perIdentity) {
        List<Row> rows = jdbc.query("select g.identity_id, g.camera_id, g.image from gallery_entry g "
                + "join (select identity_id from gallery_entry group by identity_id having count(distinct camera_id) >= 2 "
                + "order by identity_id limit ?) v on v.identity_id = g.identity_id "
                + "order by g.identity_id, g.id", (rs, i) -> new Row(rs.getLong(1), rs.getInt(2), rs.getBytes(3)), maxIdentities);
        Map<Long, List<Row>> byIdentity = new LinkedHashMap<>();
        for (Row r : rows) {
            List<Row> list = byIdentity.computeIfAbsent(r.identity(), k -> new ArrayList<>());
            if (list.size() < perIdentity) {
                list.add(r);
            }
        }
        List<byte[]> qImages = new ArrayList<>();
        List<byte[]> gImages = new ArrayList<>();
        List<Integer> qPids = new ArrayList<>();
        List<Integer> qCams = new ArrayList<>();
        List<Integer> gPids = new ArrayList<>();
        List<Integer> gCams = new ArrayList<>();
        for (List<Row> crops : byIdentity.values()) {
            Row q = crops.get(0);
            qImages.add(q.image());
            qPids.add((int) q.identity());
            qCams.add(q.camera());
            for (Row g : crops.subList(1, crops.size())) {
                gImages.add(g.image());
                gPids.add((int) g.identity());
                gCams.add(g.camera());
            }
        }
        return new Split(qImages, ints(qPids), ints(qCams), gImages, ints(gPids), ints(gCams));
    }

    /** Scores a model on a split. */
    public ReidMetrics evaluate(ServingModel model, Split split) {
        float[][] q = UnitVectors.ofRows(model.predictors().embed(split.queryImages().stream()
                .map(b -> guard.check("validation crop", b).pixels()).toList()));
        float[][] g = UnitVectors.ofRows(model.predictors().embed(split.galleryImages().stream()
                .map(b -> guard.check("validation crop", b).pixels()).toList()));
        return ReidEvaluator.evaluate(EmbeddingDistances.cosine(q, g), split.qPids(), split.gPids(), split.qCams(),
                split.gCams(), 10, 1);
    }

    private static int[] ints(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}

package org.reid.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rearranges a Market-1501 folder's {@code query/} and {@code bounding_box_test/} so that every
 * query is answered only across cameras: each queried identity gets one query camera, and none of
 * its gallery crops is from that camera. A right first answer is then a cross-camera match even
 * for a search that does not exclude the query's camera (the service's demo).
 *
 * <p>Per identity, the query camera is the one holding the fewest of its crops (ties: the lowest
 * camera), which keeps the most of it in the gallery. Its crops from that camera all become
 * queries and its other query crops join the gallery; an identity seen by one camera only is moved
 * to the gallery entirely. Files are moved, never deleted, and a second run moves nothing.
 */
public final class CrossCameraQueries {

    /** What a run moved, and the sizes it left. */
    public record Result(int queries, int gallery, int movedToQuery, int movedToGallery, int identitiesQueried) {}

    private CrossCameraQueries() {}

    public static Result rearrange(Path root) {
        ReidDataset data = BoundingBoxLayoutReader.market1501().readEvaluation(root);
        Map<Integer, List<ReidImage>> byPid = new TreeMap<>();
        for (ReidImage image : data.query()) {
            byPid.computeIfAbsent(image.pid(), p -> new ArrayList<>()).add(image);
        }
        Map<Integer, List<ReidImage>> galleryByPid = new TreeMap<>();
        for (ReidImage image : data.gallery()) {
            galleryByPid.computeIfAbsent(image.pid(), p -> new ArrayList<>()).add(image);
        }
        Path queryDir = root.resolve(BoundingBoxLayoutReader.QUERY_DIR);
        Path galleryDir = root.resolve(BoundingBoxLayoutReader.GALLERY_DIR);
        int toQuery = 0;
        int toGallery = 0;
        int queried = 0;
        for (Map.Entry<Integer, List<ReidImage>> e : byPid.entrySet()) {
            List<ReidImage> queries = e.getValue();
            List<ReidImage> gallery = galleryByPid.getOrDefault(e.getKey(), List.of());
            Map<Integer, Integer> perCamera = new TreeMap<>();
            queries.forEach(i -> perCamera.merge(i.camId(), 1, Integer::sum));
            gallery.forEach(i -> perCamera.merge(i.camId(), 1, Integer::sum));
            int queryCamera = perCamera.size() < 2 ? -1 : perCamera.entrySet().stream()
                    .min(Map.Entry.<Integer, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .orElseThrow().getKey();
            if (queryCamera >= 0) {
                queried++;
            }
            for (ReidImage q : queries) {
                if (q.camId() != queryCamera) {
                    move(q.path(), galleryDir);
                    toGallery++;
                }
            }
            for (ReidImage g : gallery) {
                if (g.camId() == queryCamera) {
                    move(g.path(), queryDir);
                    toQuery++;
                }
            }
        }
        int queries = data.query().size() - toGallery + toQuery;
        return new Result(queries, data.gallery().size() + toGallery - toQuery, toQuery, toGallery, queried);
    }

    private static void move(Path file, Path dir) {
        Path target = dir.resolve(file.getFileName());
        try {
            if (Files.exists(target)) {
                throw new IllegalStateException(target + " exists: query and gallery must not share a file name");
            }
            Files.move(file, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + file + " to " + dir, e);
        }
    }
}

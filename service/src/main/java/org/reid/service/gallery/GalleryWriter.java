package org.reid.service.gallery;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.reid.index.IndexedVector;
import org.reid.service.image.CheckedImage;
import org.reid.service.serving.AdditionReplay;
import org.reid.service.serving.ServingModel;
import org.reid.service.store.EmbeddingStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Stores crops with their embeddings (inside the caller's transaction, in bulk: plain JDBC) and
 * brings the index up to date after the commit. An image already stored (same sha256) is not
 * stored twice.
 */
@Component
public class GalleryWriter {
    /**
     * The entry that holds the image, whether this call created it, and the label of the identity
     * it is stored under (the crop's own label when created; another one when the same image was
     * stored before under another label).
     */
    public record Stored(long entryId, boolean created, String storedLabel, long identityId) {}

    /** An entry already holding an image, and its identity's label. */
    private record Existing(long entryId, String label, long identityId) {}

    private final JdbcTemplate jdbc;
    private final EmbeddingStore embeddings;
    private final AdditionReplay replay;

    public GalleryWriter(JdbcTemplate jdbc, EmbeddingStore embeddings, AdditionReplay replay) {
        this.jdbc = jdbc;
        this.embeddings = embeddings;
        this.replay = replay;
    }

    /** A crop to store, with its embedding by each model version (two during a model switch). */
    public record NewCrop(String label, CheckedImage image, int cameraId, Instant capturedAt, String source,
            Map<Long, float[]> vectorsByModel) {}

    /**
     * Stores a chunk of crops in a handful of statements (not a handful per crop): one lookup of
     * the sha256s already stored, one identity upsert, batched inserts of entries and embeddings.
     * Call inside a transaction. A crop whose sha256 is already stored (or stored meanwhile by
     * another replica) is not stored again; its result names the existing entry. Returns one result
     * per crop, in order; crops of one chunk must have distinct sha256s.
     */
    public List<Stored> storeAll(List<NewCrop> crops) {
        if (crops.isEmpty()) {
            return List.of();
        }
        String[] shas = crops.stream().map(c -> c.image().sha256()).toArray(String[]::new);
        Map<String, Existing> existing = entriesBySha(shas);
        List<NewCrop> fresh = crops.stream().filter(c -> !existing.containsKey(c.image().sha256())).toList();
        Map<String, Long> identityIds = ensureIdentities(fresh);
        List<Long> ids = fresh.isEmpty() ? List.of() : jdbc.queryForList(
                "select nextval('gallery_entry_id_seq') from generate_series(1, ?)", Long.class, fresh.size());
        int[][] inserted = jdbc.batchUpdate("insert into gallery_entry (id, identity_id, sha256, camera_id, captured_at, source, "
                + "content_type, width, height, image) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (sha256) do nothing",
                indices(fresh.size()), 256, (ps, i) -> {
                    NewCrop c = fresh.get(i);
                    ps.setLong(1, ids.get(i));
                    ps.setLong(2, identityIds.get(c.label()));
                    ps.setString(3, c.image().sha256());
                    ps.setInt(4, c.cameraId());
                    ps.setTimestamp(5, Timestamp.from(c.capturedAt()));
                    ps.setString(6, c.source());
                    ps.setString(7, c.image().contentType());
                    ps.setInt(8, c.image().width());
                    ps.setInt(9, c.image().height());
                    ps.setBytes(10, c.image().bytes());
                });
        Map<String, Long> created = new HashMap<>();
        List<Object[]> vectorRows = new ArrayList<>();
        int k = 0;
        for (int[] part : inserted) {
            for (int count : part) {
                NewCrop c = fresh.get(k);
                if (count != 0) {
                    created.put(c.image().sha256(), ids.get(k));
                    long entryId = ids.get(k);
                    c.vectorsByModel().forEach((model, v) -> vectorRows.add(new Object[] {entryId, model, EmbeddingStore.toBytes(v)}));
                }
                k++;
            }
        }
        if (!vectorRows.isEmpty()) {
            jdbc.batchUpdate("insert into embedding (entry_id, model_version_id, vector) values (?, ?, ?)", vectorRows);
        }
        if (created.size() < fresh.size()) {
            existing.putAll(entriesBySha(shas)); // stored by another replica between the lookup and the insert
        }
        List<Stored> out = new ArrayList<>(crops.size());
        for (NewCrop c : crops) {
            String sha = c.image().sha256();
            Existing before = existing.get(sha);
            out.add(created.containsKey(sha) ? new Stored(created.get(sha), true, c.label(), identityIds.get(c.label()))
                    : new Stored(before.entryId(), false, before.label(), before.identityId()));
        }
        return out;
    }

    private Map<String, Existing> entriesBySha(String[] shas) {
        Map<String, Existing> entries = new HashMap<>();
        jdbc.query("select e.sha256, e.id, i.label, i.id from gallery_entry e join identity i on i.id = e.identity_id "
                        + "where e.sha256 = any(?)",
                rs -> { entries.put(rs.getString(1), new Existing(rs.getLong(2), rs.getString(3), rs.getLong(4))); },
                (Object) shas);
        return entries;
    }

    private Map<String, Long> ensureIdentities(List<NewCrop> crops) {
        Map<String, Long> ids = new HashMap<>();
        if (crops.isEmpty()) {
            return ids;
        }
        String[] labels = crops.stream().map(NewCrop::label).distinct().toArray(String[]::new);
        jdbc.update("insert into identity (label) select unnest(?::text[]) on conflict (label) do nothing", (Object) labels);
        jdbc.query("select label, id from identity where label = any(?)",
                rs -> { ids.put(rs.getString(1), rs.getLong(2)); }, (Object) labels);
        return ids;
    }

    private static List<Integer> indices(int n) {
        return java.util.stream.IntStream.range(0, n).boxed().toList();
    }

    /**
     * Adds the entries {@link #storeAll} created, once committed, to the model's index from the
     * vectors in hand (reading them back from PostgreSQL cost more than the index add itself), as a
     * bulk load: searchable within {@code reid.index.bulk-refresh-interval}, and all of them once the
     * caller commits the index at the end of its batch (also durable on disk then). {@code generation}:
     * the one {@link EmbeddingStore#numbered} gave the transaction of {@code storeAll}.
     */
    public void indexCreated(ServingModel model, List<NewCrop> crops, List<Stored> results, long generation) {
        List<IndexedVector> vectors = new ArrayList<>();
        for (int i = 0; i < crops.size(); i++) {
            Stored s = results.get(i);
            if (s.created()) {
                NewCrop c = crops.get(i);
                vectors.add(new IndexedVector(s.entryId(), s.identityId(), c.cameraId(), c.capturedAt().toEpochMilli(),
                        c.vectorsByModel().get(model.id())));
            }
        }
        // all the transaction of `generation` changed in this model's embeddings: an index current at
        // the generation before stays current (even with no crop new, the generation was raised), and
        // one current before other replicas' chunks that committed in between applies those first
        replay.addChunk(model, vectors, generation);
    }

    /**
     * Adds committed entries to the model's index, searchable at once. Not yet durable on disk: the
     * caller commits the index at the end of its batch (a Lucene commit per chunk cost a quarter of
     * ingestion time), and an index that missed entries in a crash is reconciled from PostgreSQL.
     */
    public void indexStored(ServingModel model, List<Long> entryIds) {
        if (entryIds.isEmpty()) {
            return;
        }
        model.index().add(embeddings.indexed(model.id(), entryIds));
    }
}

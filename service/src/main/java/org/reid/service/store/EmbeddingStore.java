package org.reid.service.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.reid.index.IndexedVector;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Embeddings per (entry, model version) in PostgreSQL, as float32 little-endian bytes. Plain JDBC:
 * vectors move in bulk (index rebuilds, re-embedding), which an entity per row would only slow.
 */
@Repository
public class EmbeddingStore {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate snapshots;

    public EmbeddingStore(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.snapshots = new TransactionTemplate(transactions);
        snapshots.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshots.setReadOnly(true);
    }

    /**
     * The embeddings' change counter ({@code embedding_generation}): every transaction that adds,
     * replaces or removes embeddings raises it as it commits.
     */
    public long generation() {
        Long g = jdbc.queryForObject("select generation from embedding_generation", Long.class);
        return g == null ? 0 : g;
    }

    /** What a transaction's writes returned, and the generation its commit makes the embeddings'. */
    public record Numbered<T>(T value, long generation) {}

    /**
     * Runs {@code writes} inside the caller's transaction and raises the generation once for them,
     * as the last statement, instead of at the commit (the trigger's way): the caller learns the
     * generation its commit makes, and one that applies exactly these writes to an index that was
     * current at {@code generation - 1} knows it current at {@code generation} without comparing it
     * again (ingestion into a large gallery would otherwise have replica sync read every id each
     * pass). The counter's row stays locked from this raise to the commit, so no other transaction
     * raises it in between.
     */
    public <T> Numbered<T> numbered(java.util.function.Supplier<T> writes) {
        // the flag the trigger checks (V5): this transaction's embedding rows queue no raise of their own
        jdbc.queryForObject("select set_config('reid.embedding_changed', 'yes', true)", String.class);
        T value = writes.get();
        Long generation = jdbc.queryForObject(
                "update embedding_generation set generation = generation + 1 returning generation", Long.class);
        return new Numbered<>(value, generation == null ? 0 : generation);
    }

    /** The entry ids holding an embedding of a model version, and the generation they are the state of. */
    public record Snapshot(long generation, java.util.Set<Long> entryIds) {}

    /** {@link #generation()} and {@link #entryIds} read in one snapshot, so that the ids are exactly that generation's. */
    public Snapshot snapshot(long modelVersionId) {
        return snapshots.execute(s -> new Snapshot(generation(), entryIds(modelVersionId)));
    }

    /** Those of {@code entryIds} that still have an embedding of the model version. */
    public java.util.Set<Long> present(long modelVersionId, java.util.Collection<Long> entryIds) {
        if (entryIds.isEmpty()) {
            return java.util.Set.of();
        }
        return new java.util.HashSet<>(jdbc.queryForList("select entry_id from embedding where model_version_id = ? "
                + "and entry_id = any(?)", Long.class, modelVersionId, (Object) entryIds.toArray(Long[]::new)));
    }

    /** Stores (or replaces) an embedding; a no-op when the entry was erased meanwhile (re-embedding runs beside erasure). */
    public void saveIfEntryExists(long entryId, long modelVersionId, float[] vector) {
        jdbc.update("insert into embedding (entry_id, model_version_id, vector) select ?, ?, ? "
                + "where exists (select 1 from gallery_entry where id = ?) "
                + "on conflict (model_version_id, entry_id) do update set vector = excluded.vector",
                entryId, modelVersionId, toBytes(vector), entryId);
    }

    public long entryCount() {
        Long n = jdbc.queryForObject("select count(*) from gallery_entry", Long.class);
        return n == null ? 0 : n;
    }

    /** One stored embedding with its identity and camera, for calibration. */
    public record Sampled(long entryId, long identityId, int cameraId, float[] vector) {}

    /**
     * Up to {@code n} embeddings of a model, a deterministic sample spread over the gallery: the
     * entries first by a hash of their id ({@code sample_key}), skipping those without an embedding
     * of this model (a switch in progress). Read in pages along the {@code sample_key} index, each
     * entry's vector looked up by key: a join left to the planner sorted the whole gallery whenever
     * its statistics lagged behind ingestion.
     */
    public List<Sampled> sample(long modelVersionId, int n) {
        String select = "select g.id, g.identity_id, g.camera_id, g.sample_key, (select e.vector from embedding e "
                + "where e.model_version_id = ? and e.entry_id = g.id) from gallery_entry g ";
        List<Sampled> out = new ArrayList<>(n);
        SampleRow last = null;
        while (out.size() < n) {
            List<SampleRow> page = last == null
                    ? jdbc.query(select + "order by g.sample_key, g.id limit ?", SAMPLE_ROW, modelVersionId, n)
                    : jdbc.query(select + "where (g.sample_key, g.id) > (?, ?) order by g.sample_key, g.id limit ?",
                            SAMPLE_ROW, modelVersionId, last.sampleKey(), last.entryId(), n);
            for (SampleRow row : page) {
                if (row.vector() != null && out.size() < n) {
                    out.add(new Sampled(row.entryId(), row.identityId(), row.cameraId(), fromBytes(row.vector())));
                }
            }
            if (page.size() < n) {
                break; // the end of the gallery
            }
            last = page.get(page.size() - 1);
        }
        return out;
    }

    /** An entry in sample order, with its vector of the model sampled (null: none yet). */
    private record SampleRow(long entryId, long identityId, int cameraId, int sampleKey, byte[] vector) {}

    private static final org.springframework.jdbc.core.RowMapper<SampleRow> SAMPLE_ROW = (rs, i) -> new SampleRow(
            rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getBytes(5));

    public long count(long modelVersionId) {
        Long n = jdbc.queryForObject("select count(*) from embedding where model_version_id = ?", Long.class, modelVersionId);
        return n == null ? 0 : n;
    }

    /** Every entry id that has an embedding of this model. */
    public java.util.Set<Long> entryIds(long modelVersionId) {
        return new java.util.HashSet<>(jdbc.queryForList("select entry_id from embedding where model_version_id = ?",
                Long.class, modelVersionId));
    }

    /** Entries that have no embedding of this model yet (oldest first), at most {@code limit}. */
    public List<Long> entriesWithout(long modelVersionId, int limit) {
        return jdbc.queryForList("select g.id from gallery_entry g where not exists (select 1 from embedding e "
                + "where e.entry_id = g.id and e.model_version_id = ?) order by g.id limit ?", Long.class, modelVersionId, limit);
    }

    /** Streams every embedding of a model with the fields the index needs, in chunks. */
    public void forEachIndexed(long modelVersionId, int chunk, Consumer<List<IndexedVector>> sink) {
        long after = 0;
        while (true) {
            List<IndexedVector> rows = jdbc.query("select g.id, g.identity_id, g.camera_id, g.captured_at, e.vector "
                    + "from embedding e join gallery_entry g on g.id = e.entry_id "
                    + "where e.model_version_id = ? and g.id > ? order by g.id limit ?",
                    (rs, i) -> new IndexedVector(rs.getLong(1), rs.getLong(2), rs.getInt(3),
                            rs.getTimestamp(4).getTime(), fromBytes(rs.getBytes(5))),
                    modelVersionId, after, chunk);
            if (rows.isEmpty()) {
                return;
            }
            sink.accept(rows);
            after = rows.get(rows.size() - 1).entryId();
        }
    }

    /** The index rows of some entries (for entries just stored), in the order of the ids given. */
    public List<IndexedVector> indexed(long modelVersionId, List<Long> entryIds) {
        List<IndexedVector> out = new ArrayList<>();
        if (entryIds.isEmpty()) {
            return out;
        }
        String in = String.join(",", entryIds.stream().map(String::valueOf).toList());
        out.addAll(jdbc.query("select g.id, g.identity_id, g.camera_id, g.captured_at, e.vector "
                + "from embedding e join gallery_entry g on g.id = e.entry_id "
                + "where e.model_version_id = ? and g.id in (" + in + ")",
                (rs, i) -> new IndexedVector(rs.getLong(1), rs.getLong(2), rs.getInt(3),
                        rs.getTimestamp(4).getTime(), fromBytes(rs.getBytes(5))), modelVersionId));
        return out;
    }

    public static byte[] toBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    public static float[] fromBytes(byte[] bytes) {
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

}

package org.reid.service.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.reid.service.support.ServiceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL reads of identities and entries, on rows written and read in one transaction that is
 * rolled back (the shared service sees none of them): a label prefix matches its own % and _
 * literally, pages count every row, the per-identity summary matches the rows, and the calibration
 * sample is the entries first by the hash of their id.
 */
class GalleryReadsTest extends ServiceTest {
    @Autowired
    Identities identities;

    @Autowired
    GalleryEntries entries;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    EmbeddingStore embeddings;

    @Test
    void aLabelPrefixIsMatchedLiterallyAndPagesCountEveryRow() {
        tx.executeWithoutResult(status -> {
            for (String label : new String[] {"zz%_a", "zz%_b", "zz%_c", "zzX_d", "zz%Ye"}) {
                jdbc.update("insert into identity (label) values (?)", label);
            }
            PageOf<Identity> first = identities.page("zz%_", 0, 2);
            assertThat(first.content()).extracting(Identity::label).containsExactly("zz%_a", "zz%_b");
            assertThat(first.total()).isEqualTo(3);
            assertThat(first.totalPages(2)).isEqualTo(2);
            assertThat(identities.page("zz%_", 1, 2).content()).extracting(Identity::label).containsExactly("zz%_c");
            assertThat(identities.page("zz", 0, 10).total()).isEqualTo(5);
            status.setRollbackOnly();
        });
    }

    @Test
    void anIdentitysEntriesAreSummarisedAndPagedByCaptureTime() {
        tx.executeWithoutResult(status -> {
            long id = jdbc.queryForObject("insert into identity (label) values ('reads-test') returning id", Long.class);
            Instant t0 = Instant.parse("2026-01-02T03:04:05Z");
            long late = insertEntry(id, "a".repeat(64), 3, t0.plusSeconds(60));
            long early = insertEntry(id, "b".repeat(64), 1, t0);
            insertEntry(id, "c".repeat(64), 3, t0.plusSeconds(30));

            GalleryEntries.Summary s = entries.summarize(java.util.List.of(id)).get(id);
            assertThat(s.entries()).isEqualTo(3);
            assertThat(s.firstSeen()).isEqualTo(t0);
            assertThat(s.lastSeen()).isEqualTo(t0.plusSeconds(60));
            assertThat(s.thumbnailEntryId()).isEqualTo(Math.min(late, early));
            assertThat(entries.camerasOf(java.util.List.of(id)).get(id)).containsExactly(1, 3);

            PageOf<GalleryEntry> page = entries.pageOfIdentity(id, 0, 2);
            assertThat(page.total()).isEqualTo(3);
            assertThat(page.content()).extracting(GalleryEntry::id).first().isEqualTo(early);
            assertThat(entries.pageOfIdentity(id, 1, 2).content()).extracting(GalleryEntry::id).containsExactly(late);
            assertThat(entries.idsCapturedBefore(t0.plusSeconds(1))).containsExactly(early);
            status.setRollbackOnly();
        });
    }

    @Test
    void theCalibrationSampleIsTheModelsEntriesFirstByTheHashOfTheirId() {
        tx.executeWithoutResult(status -> {
            // a model of its own: no other entry of the shared gallery has its embeddings
            long model = jdbc.queryForObject("insert into model_version (name, version, state, manifest, artifact, "
                    + "artifact_sha256) values ('sample-test', '1', 'candidate', '{}', ?, ?) returning id", Long.class,
                    new byte[] {1}, "0".repeat(64));
            long identity = jdbc.queryForObject("insert into identity (label) values ('sample-test') returning id", Long.class);
            java.util.List<Long> withVector = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                long entry = insertEntry(identity, String.format("%064x", 0xabc000 + i), 1 + i % 3, Instant.EPOCH);
                if (i % 4 != 0) { // every fourth entry has no embedding of this model (a switch in progress)
                    jdbc.update("insert into embedding (entry_id, model_version_id, vector) values (?, ?, ?)", entry, model,
                            EmbeddingStore.toBytes(new float[] {i, 1}));
                    withVector.add(entry);
                }
            }
            java.util.List<Long> expected = jdbc.queryForList("select id from gallery_entry where id = any(?) "
                    + "order by hashint8(id), id", Long.class, (Object) withVector.toArray(Long[]::new));

            java.util.List<EmbeddingStore.Sampled> sample = embeddings.sample(model, 12);
            assertThat(sample).extracting(EmbeddingStore.Sampled::entryId).containsExactlyElementsOf(expected.subList(0, 12));
            assertThat(sample).allSatisfy(x -> assertThat(x.identityId()).isEqualTo(identity));
            // all 30: the first page of 30 entries holds some without a vector, so the sample reads on
            assertThat(embeddings.sample(model, 30)).extracting(EmbeddingStore.Sampled::entryId)
                    .containsExactlyElementsOf(expected);
            assertThat(embeddings.sample(model, 100)).hasSize(30);
            status.setRollbackOnly();
        });
    }

    private long insertEntry(long identityId, String sha256, int camera, Instant capturedAt) {
        return jdbc.queryForObject("insert into gallery_entry (identity_id, sha256, camera_id, captured_at, source, "
                + "content_type, width, height, image) values (?, ?, ?, ?, 'test', 'image/jpeg', 1, 1, ?) returning id",
                Long.class, identityId, sha256, camera, Timestamp.from(capturedAt), new byte[] {1});
    }
}

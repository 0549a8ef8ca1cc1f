package org.reid.service.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.reid.index.StoredBytes;
import org.reid.service.serving.ActiveModel;
import org.reid.service.support.Api;
import org.reid.service.support.Gallery;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceTest;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestImages;
import org.springframework.beans.factory.annotation.Autowired;

/** Erasure leaves no trace in PostgreSQL, in the index, or in the index files on disk. */
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class ErasureTest extends ServiceTest {
    @Autowired
    ActiveModel model;

    @Test
    void erasingAnIdentityRemovesCropsEmbeddingsItemsAndIndexEntries() throws IOException {
        Path crop = TestCrops.gallery().get(3);
        List<byte[]> images = List.of(TestImages.variant(crop, 301), TestImages.variant(crop, 302), TestImages.variant(crop, 303));
        JsonNode batch = Gallery.ingest(api, "erase-me", 2, images);
        assertThat(batch.get("stored").asInt()).isEqualTo(3);
        long identityId = api.get("/api/v1/identities?label=erase-me", Keys.SEARCH).json().get("content").get(0).get("id").asLong();
        List<Long> entryIds = jdbc.queryForList("select id from gallery_entry where identity_id = ?", Long.class, identityId);
        List<byte[]> vectorBytes = new ArrayList<>();
        for (long id : entryIds) {
            vectorBytes.add(StoredBytes.littleEndian(java.util.Arrays.copyOf(model.current().index().vector(id).orElseThrow(), 8)));
        }
        assertThat(filesContainAny(vectorBytes)).as("the vectors are on disk before erasure").isTrue();

        assertThat(api.delete("/api/v1/identities/" + identityId, Keys.INGEST).status()).isEqualTo(403);
        assertThat(api.delete("/api/v1/identities/" + identityId, Keys.ADMIN).status()).isEqualTo(204);

        Long[] ids = entryIds.toArray(Long[]::new);
        assertThat(jdbc.queryForObject("select count(*) from identity where label = 'erase-me'", Long.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from gallery_entry where id = any(?)", Long.class, (Object) ids)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from embedding where entry_id = any(?)", Long.class, (Object) ids)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from ingest_item where identity_label = 'erase-me'", Long.class)).isZero();
        for (long id : entryIds) {
            assertThat(model.current().index().vector(id)).isEmpty();
            assertThat(api.get("/api/v1/entries/" + id + "/image", Keys.SEARCH).status()).isEqualTo(404);
        }
        assertThat(filesContainAny(vectorBytes)).as("no index file holds an erased vector").isFalse();
        Api.Response search = api.postMultipart("/api/v1/search", Keys.SEARCH,
                List.of(Api.Part.file("image", "q.png", TestImages.variant(crop, 399)), Api.Part.field("topK", "100")));
        search.json().get("identities").forEach(i -> assertThat(i.get("label").asText()).isNotEqualTo("erase-me"));
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'gallery.delete-identity' and target = ?",
                Long.class, "identity:" + identityId)).isEqualTo(1);
    }

    @Test
    void erasingAnIdentityRemovesItsFailedItemsAndLeavesBatchesAddingUp(
            org.springframework.boot.test.system.CapturedOutput log) {
        // one crop stored, one that fails (not an image): both items name the identity and their files
        Path crop = TestCrops.gallery().get(5);
        Api.Response accepted = api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, List.of(
                Api.Part.file("files", "kept-by-mistake.png", TestImages.variant(crop, 351)),
                Api.Part.file("files", "secret-name.jpg", TestImages.text()),
                Api.Part.field("manifest", "file,identity,camera\nkept-by-mistake.png,erase-me-too,1\nsecret-name.jpg,erase-me-too,2\n")));
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        JsonNode done = api.awaitBatch(location, Keys.INGEST);
        assertThat(done.get("stored").asInt()).isEqualTo(1);
        assertThat(done.get("failed").asInt()).isEqualTo(1);
        long identityId = api.get("/api/v1/identities?label=erase-me-too", Keys.SEARCH).json().get("content").get(0).get("id")
                .asLong();

        assertThat(api.delete("/api/v1/identities/" + identityId, Keys.ADMIN).status()).isEqualTo(204);

        assertThat(jdbc.queryForObject("select count(*) from ingest_item where identity_label = 'erase-me-too' "
                + "or file_name in ('kept-by-mistake.png', 'secret-name.jpg')", Long.class)).isZero();
        JsonNode after = api.get(location + "?items=all", Keys.INGEST).json();
        assertThat(after.get("stored").asInt() + after.get("duplicates").asInt() + after.get("failed").asInt()
                + after.get("pending").asInt()).as(after.toString()).isEqualTo(after.get("total").asInt());
        assertThat(after.toString()).doesNotContain("erase-me-too").doesNotContain("secret-name");
        // nor did the service log them, or the crop, on the way in or out
        assertThat(log.getOut()).doesNotContain("erase-me-too").doesNotContain("secret-name")
                .doesNotContain("kept-by-mistake").doesNotContain("\\x89504e47");
    }

    @Test
    void erasingOneEntryKeepsTheIdentity() {
        Path crop = TestCrops.gallery().get(4);
        Gallery.ingest(api, "keep-me", 1, List.of(TestImages.variant(crop, 401), TestImages.variant(crop, 402)));
        long identityId = api.get("/api/v1/identities?label=keep-me", Keys.SEARCH).json().get("content").get(0).get("id").asLong();
        long entryId = jdbc.queryForObject("select min(id) from gallery_entry where identity_id = ?", Long.class, identityId);
        assertThat(api.delete("/api/v1/entries/" + entryId, Keys.ADMIN).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/identities/" + identityId, Keys.SEARCH).json().get("entryCount").asInt()).isEqualTo(1);
        assertThat(model.current().index().vector(entryId)).isEmpty();
        assertThat(api.delete("/api/v1/entries/" + entryId, Keys.ADMIN).status()).isEqualTo(404);
    }

    private boolean filesContainAny(List<byte[]> needles) throws IOException {
        Path dir = dataDir().resolve("index");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(f);
                for (byte[] n : needles) {
                    if (StoredBytes.indexOf(content, n) >= 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}

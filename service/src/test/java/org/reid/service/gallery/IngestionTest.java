package org.reid.service.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reid.service.support.Api;
import org.reid.service.support.Gallery;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceTest;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestImages;

class IngestionTest extends ServiceTest {

    @BeforeEach
    void gallery() {
        Gallery.ensureIngested(api);
    }

    @Test
    void theSameIdempotencyKeyAnswersTheFirstBatchAndStoresNothingNew() {
        List<Path> crops = TestCrops.gallery().subList(0, 3);
        List<Api.Part> parts = new ArrayList<>();
        for (int i = 0; i < crops.size(); i++) {
            parts.add(Api.Part.file("files", "idem-" + i + ".png", TestImages.variant(crops.get(i), 900 + i)));
        }
        parts.add(Api.Part.field("manifest", "file,identity,camera\nidem-0.png,idem,1\nidem-1.png,idem,1\nidem-2.png,idem,2\n"));
        Api.Response first = api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, parts, Map.of("Idempotency-Key", "k-42"));
        assertThat(first.status()).as(first.text()).isEqualTo(202);
        String location = first.headers().firstValue("Location").orElseThrow();
        assertThat(api.awaitBatch(location, Keys.INGEST).get("stored").asInt()).isEqualTo(3);
        long entries = count("gallery_entry");
        long batches = count("ingest_batch");

        Api.Response again = api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, parts, Map.of("Idempotency-Key", "k-42"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
        assertThat(again.headers().firstValue("Location")).contains(location);
        assertThat(count("gallery_entry")).isEqualTo(entries);
        assertThat(count("ingest_batch")).isEqualTo(batches);
    }

    @Test
    void anImageAlreadyStoredIsNotStoredTwice() {
        List<Path> crops = TestCrops.gallery().subList(0, 2);
        List<Api.Part> parts = new ArrayList<>();
        for (Path p : crops) {
            parts.add(Api.Part.file("files", p.getFileName().toString(), TestCrops.bytes(p)));
        }
        parts.add(Api.Part.field("manifest", Api.manifestOf(crops)));
        long entries = count("gallery_entry");
        Api.Response r = api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, parts);
        JsonNode done = api.awaitBatch(r.headers().firstValue("Location").orElseThrow(), Keys.INGEST);
        assertThat(done.get("duplicates").asInt()).isEqualTo(2);
        assertThat(done.get("stored").asInt()).isZero();
        assertThat(done.get("items").get(0).get("entryId").isNumber()).isTrue();
        assertThat(count("gallery_entry")).isEqualTo(entries);
    }

    @Test
    void theSameCropUnderAnotherLabelIsADuplicateThatNamesTheConflict() {
        byte[] crop = TestImages.variant(TestCrops.gallery().get(0), 4401);
        JsonNode first = Gallery.ingest(api, "conflict-a", 1, List.of(crop));
        assertThat(first.get("stored").asInt()).isEqualTo(1);

        JsonNode again = Gallery.ingest(api, "conflict-b", 2, List.of(crop, crop));
        assertThat(again.get("duplicates").asInt()).isEqualTo(2);
        assertThat(again.get("items")).allSatisfy(item -> assertThat(item.get("error").asText())
                .contains("of identity 'conflict-a', not 'conflict-b' as labelled here"));

        JsonNode sameLabel = Gallery.ingest(api, "conflict-a", 3, List.of(crop));
        assertThat(sameLabel.get("items").get(0).get("error").asText())
                .as("a repeat under its own label is a plain duplicate").doesNotContain("labelled here");
    }

    @Test
    void aManifestsLabelsAreTakenAsGivenAndCountedInCharacters() {
        // "-1" is Market-1501's junk only in a file name; 100 emoji are 100 characters (200 UTF-16 units)
        String emoji = "\uD83D\uDE00".repeat(100);
        for (String label : List.of("-1", emoji)) {
            JsonNode done = Gallery.ingest(api, label, 1, List.of(TestImages.variant(TestCrops.gallery().get(1),
                    4500 + label.length())));
            assertThat(done.get("stored").asInt()).as(done.toString()).isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from identity where label = ?", Long.class, label)).isEqualTo(1);
        }
    }

    @Test
    void aBatchOfSixtyFilesIsAccepted() {
        // Tomcat's default of 50 multipart parts used to cut batches off at 49 files
        Path crop = TestCrops.gallery().get(3);
        List<Api.Part> parts = new ArrayList<>();
        StringBuilder manifest = new StringBuilder("file,identity,camera\n");
        for (int i = 0; i < 60; i++) {
            parts.add(Api.Part.file("files", "sixty-" + i + ".png", TestImages.variant(crop, 3000 + i)));
            manifest.append("sixty-").append(i).append(".png,sixty,").append(1 + i % 2).append('\n');
        }
        parts.add(Api.Part.field("manifest", manifest.toString()));
        Api.Response r = api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, parts);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        JsonNode batch = api.awaitBatch(r.headers().firstValue("Location").orElseThrow(), Keys.INGEST);
        assertThat(batch.get("total").asInt()).isEqualTo(60);
        // erased again, so the other tests' gallery stays as it was
        long id = jdbc.queryForObject("select id from identity where label = 'sixty'", Long.class);
        assertThat(api.delete("/api/v1/identities/" + id, Keys.ADMIN).status()).isEqualTo(204);
    }

    @Test
    void oneBadImageNeverSinksTheBatch() {
        Path crop = TestCrops.gallery().get(5);
        List<Api.Part> parts = List.of(
                Api.Part.file("files", "good-1.png", TestImages.variant(crop, 501)),
                Api.Part.file("files", "good-2.png", TestImages.variant(crop, 502)),
                Api.Part.file("files", "cut.jpg", TestImages.truncatedJpeg(crop)),
                Api.Part.file("files", "notes.jpg", TestImages.text()),
                Api.Part.field("manifest", "file,identity,camera\ngood-1.png,mixed,1\ngood-2.png,mixed,2\n"
                        + "cut.jpg,mixed,1\nnotes.jpg,mixed,3\n"));
        Api.Response r = api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, parts);
        assertThat(r.status()).isEqualTo(202);
        JsonNode done = api.awaitBatch(r.headers().firstValue("Location").orElseThrow(), Keys.INGEST);
        assertThat(done.get("stored").asInt()).isEqualTo(2);
        assertThat(done.get("failed").asInt()).isEqualTo(2);
        List<String> errors = new ArrayList<>();
        done.get("items").forEach(i -> errors.add(i.get("file").asText() + ": " + i.get("error").asText()));
        assertThat(errors).anyMatch(e -> e.startsWith("cut.jpg") && e.contains("truncated"))
                .anyMatch(e -> e.startsWith("notes.jpg") && e.contains("not a JPEG or PNG"));
        assertThat(jdbc.queryForObject("select count(*) from ingest_item where staged_image is not null and state <> 'PENDING'",
                Long.class)).isZero();
    }

    @Test
    void aMarket1501ZipIsIngestedWithIdentityAndCameraFromTheNames() throws IOException {
        Path crop = TestCrops.gallery().get(7);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            put(z, "crops/7001_c3s1_000101_01.png", TestImages.variant(crop, 701));
            put(z, "crops/7001_c5s2_000202_01.png", TestImages.variant(crop, 702));
            put(z, "crops/readme.png", TestImages.variant(crop, 703));
            put(z, "crops/-1_c1s1_000001_01.png", TestImages.variant(crop, 704));
            put(z, "crops/0000_c2s1_000002_01.png", TestImages.variant(crop, 705));
        }
        Api.Response r = api.postMultipart("/api/v1/gallery/batches", Keys.INGEST,
                List.of(Api.Part.file("archive", "crops.zip", zip.toByteArray())));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        JsonNode done = api.awaitBatch(r.headers().firstValue("Location").orElseThrow(), Keys.INGEST);
        assertThat(done.get("stored").asInt()).isEqualTo(2);
        assertThat(done.get("failed").asInt()).isEqualTo(3);
        java.util.Map<String, String> errors = new java.util.HashMap<>();
        done.get("items").forEach(i -> errors.put(i.get("file").asText(), i.get("error").asText()));
        assertThat(errors.get("readme.png")).contains("not in Market-1501 naming");
        assertThat(errors.get("-1_c1s1_000001_01.png")).contains("junk image");
        assertThat(errors.get("0000_c2s1_000002_01.png")).contains("distractor").contains("not stored");
        assertThat(api.get("/api/v1/identities?label=0000", Keys.SEARCH).json().get("content"))
                .as("a Market-1501 distractor is not an identity of the gallery").isEmpty();
        JsonNode identity = api.get("/api/v1/identities?label=7001", Keys.SEARCH).json().get("content").get(0);
        assertThat(identity.get("entryCount").asInt()).isEqualTo(2);
        assertThat(identity.get("cameras").toString()).isEqualTo("[3,5]");
    }

    @Test
    void identitiesAndEntriesArePagedAndReadable() {
        JsonNode page = api.get("/api/v1/identities?page=0&size=5", Keys.SEARCH).json();
        assertThat(page.get("content")).hasSize(5);
        assertThat(page.get("totalElements").asInt()).isGreaterThanOrEqualTo(8); // the 8 test identities of TestCrops
        long id = page.get("content").get(0).get("id").asLong();
        JsonNode one = api.get("/api/v1/identities/" + id, Keys.SEARCH).json();
        assertThat(one.get("label").asText()).isEqualTo(page.get("content").get(0).get("label").asText());
        JsonNode entries = api.get("/api/v1/identities/" + id + "/entries", Keys.SEARCH).json();
        assertThat(entries.get("content").size()).isEqualTo(one.get("entryCount").asInt());
        JsonNode entry = api.get("/api/v1/entries/" + entries.get("content").get(0).get("id").asLong(), Keys.SEARCH).json();
        assertThat(entry.get("sha256").asText()).hasSize(64);
        assertThat(api.get("/api/v1/identities/999999", Keys.SEARCH).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/identities?size=1000", Keys.SEARCH).json().get("field").asText()).isEqualTo("size");
    }

    private static void put(ZipOutputStream z, String name, byte[] bytes) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(bytes);
        z.closeEntry();
    }
    @Test
    void aBatchOfMoreThanAThousandFilesIsNotRefusedByAPartLimit() {
        // Tomcat's part limit is the lower of its part and parameter limits (1000 by default):
        // 1,200 files were refused as "more than 10008 multipart parts"
        List<Api.Part> parts = new java.util.ArrayList<>();
        StringBuilder manifest = new StringBuilder("file,identity,camera\n");
        for (int i = 0; i < 1200; i++) {
            parts.add(Api.Part.file("files", "n" + i + ".jpg", ("not a crop " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            manifest.append("n").append(i).append(".jpg,many-parts,1\n");
        }
        parts.add(Api.Part.field("manifest", manifest.toString()));
        Api.Response r = api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, parts);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(r.json().get("total").asInt()).isEqualTo(1200);
        JsonNode done = api.awaitBatch(r.headers().firstValue("Location").orElseThrow(), Keys.INGEST);
        assertThat(done.get("failed").asInt()).as("none of them is an image").isEqualTo(1200);
    }

}

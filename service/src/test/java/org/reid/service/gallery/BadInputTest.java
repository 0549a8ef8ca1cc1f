package org.reid.service.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reid.service.support.Api;
import org.reid.service.support.Keys;
import org.reid.service.support.StoresNothingTest;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestImages;

/** Every bad input gets the right 4xx as problem+json naming the field, and nothing is stored. */
class BadInputTest extends StoresNothingTest {

    private Api.Response search(String filename, byte[] bytes) {
        return api.postMultipart("/api/v1/search", Keys.SEARCH, List.of(Api.Part.file("image", filename, bytes)));
    }

    private static void assertProblem(Api.Response r, int status, String field, String detailContains) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.json().path("field").asText()).as(r.text()).isEqualTo(field);
        assertThat(r.json().get("detail").asText()).contains(detailContains);
    }

    @Test
    void truncatedJpegIs422() {
        assertProblem(search("q.jpg", TestImages.truncatedJpeg(TestCrops.queries().get(0))), 422, "image[0]", "truncated JPEG");
    }

    @Test
    void pngDecompressionBombIs413BeforeDecoding() {
        byte[] bomb = TestImages.pngBomb(20_000, 20_000);
        assertThat(bomb.length).isLessThan(1_048_576);
        Api.Response r = search("bomb.png", bomb);
        assertProblem(r, 413, "image[0]", "20000x20000");
        assertThat(r.json().get("limit").asText()).isEqualTo("4000000 pixels");
    }

    @Test
    void textSentAsAnImageIs415WhateverItsName() {
        assertProblem(search("photo.jpg", TestImages.text()), 415, "image[0]", "not a JPEG or PNG");
    }

    @Test
    void imageOverTheByteLimitIs413() {
        byte[] big = new byte[1_100_000];
        System.arraycopy(TestCrops.bytes(TestCrops.queries().get(0)), 0, big, 0, 3);
        Api.Response r = search("big.jpg", big);
        assertProblem(r, 413, "image[0]", "1048576 bytes");
    }

    @Test
    void moreMultipartPartsThanABatchMayHoldIs413NamingThePartLimit() {
        // 10,000 batch items + 8 other parts are allowed (MultipartLimits); one more is refused by Tomcat
        List<Api.Part> parts = new java.util.ArrayList<>();
        for (int i = 0; i < 10_009; i++) {
            parts.add(Api.Part.field("f" + i, ""));
        }
        Api.Response r = api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, parts);
        assertProblem(r, 413, "files", "more than 10008 multipart parts");
    }

    @Test
    void aManifestOverItsLimitIs413NamingItWhetherAFieldOrAFile() {
        // reid.limits.max-manifest-bytes is 1 MiB here (ServiceTest), the per-part limit 2 MB
        byte[] crop = TestImages.variant(TestCrops.gallery().get(0), 77);
        String big = manifestOf(1_500_000);
        long batches = jdbc.queryForObject("select count(*) from ingest_batch", Long.class);
        assertProblem(api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, List.of(Api.Part.file("files", "a.png", crop),
                Api.Part.field("manifest", big))), 413, "manifest", "1048576 bytes (reid.limits.max-manifest-bytes)");
        assertProblem(api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, List.of(Api.Part.file("files", "a.png", crop),
                Api.Part.file("manifest", "manifest.csv", big.getBytes(java.nio.charset.StandardCharsets.UTF_8)))),
                413, "manifest", "1048576 bytes (reid.limits.max-manifest-bytes)");
        // over the per-part limit too: the part is named, not "files"
        assertProblem(api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, List.of(Api.Part.file("files", "a.png", crop),
                Api.Part.field("manifest", manifestOf(2_200_000)))), 413, "manifest", "spring.servlet.multipart.max-file-size");
        assertThat(jdbc.queryForObject("select count(*) from ingest_batch", Long.class)).as("nothing staged").isEqualTo(batches);
    }

    private static String manifestOf(int bytes) {
        StringBuilder manifest = new StringBuilder("file,identity,camera\n");
        while (manifest.length() < bytes) {
            manifest.append("a-file-that-was-not-sent-").append(manifest.length()).append(".jpg,someone,1\n");
        }
        return manifest.toString();
    }

    @Test
    void idsAreDecimalDigitsOnly() {
        // Long.decode read these as 1: DELETE /identities/0x1 used to erase identity 1
        for (String id : List.of("0x1", "+1", "%201", "01", "1e0", "\uFF11")) {
            String path = "/api/v1/identities/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("%25", "%");
            assertProblem(api.delete(path, Keys.ADMIN), 400, "id", "must be a decimal integer");
            assertProblem(api.get(path, Keys.ADMIN), 400, "id", "must be a decimal integer");
        }
    }

    @Test
    void whatTomcatAndSpringRefuseBelowTheControllersIsProblemJsonToo() throws Exception {
        // each of these was a 500 (with a stack trace in the log) or a non-problem answer
        String[][] cases = {
            {"GET /actuator/health?% HTTP/1.1", "400", "query"},
            {"GET /api/v1/identities?%zz=1 HTTP/1.1", "400", "query"},
            {"GET /api/v1/identities/%ZZ HTTP/1.1", "400", null},
            {"GET /api/v1/identities?page=2147483647&size=100 HTTP/1.1", "400", "page"},
            {"GET /error HTTP/1.1", "404", null},
            {"GET /api/v1/nothing HTTP/1.1", "404", null},
            {"POST /api/v1/search HTTP/1.1\r\nContent-Length: 0", "415", "Content-Type"},
            {"POST /api/v1/search HTTP/1.1\r\nContent-Type: multipart/form-data\r\nContent-Length: 2\r\n\r\nxx", "400", "body"},
        };
        for (String[] c : cases) {
            String[] answer = raw(c[0]);
            assertThat(answer[0]).as(c[0] + " -> " + answer[2]).isEqualTo(c[1]);
            assertThat(answer[1]).as(c[0]).startsWith("application/problem+json");
            JsonNode problem = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer[2]);
            assertThat(problem.get("status").asInt()).isEqualTo(Integer.parseInt(c[1]));
            if (c[2] != null) {
                assertThat(problem.path("field").asText()).as(answer[2]).isEqualTo(c[2]);
            }
        }
    }

    @Test
    void extremeOrNullValuesInSearchesAndManifestsAre400() {
        byte[] crop = TestCrops.bytes(TestCrops.queries().get(0));
        java.util.function.BiConsumer<Api.Response, String> is400 = (r, field) -> assertProblem(r, 400, field, "");
        is400.accept(api.postMultipart("/api/v1/search", Keys.SEARCH, List.of(Api.Part.file("image", "q.jpg", crop),
                Api.Part.field("from", "+999999999-12-31T23:59:59Z"))), "from");
        is400.accept(api.postMultipart("/api/v1/search", Keys.SEARCH, List.of(Api.Part.file("image", "q.jpg", crop),
                Api.Part.field("to", "-999999999-01-01T00:00:00Z"))), "to");
        is400.accept(api.postJson("/api/v1/search", Keys.SEARCH, Map.of("images",
                List.of(java.util.Base64.getEncoder().encodeToString(crop)), "cameras", java.util.Arrays.asList((Object) null))),
                "cameras");
        is400.accept(api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, List.of(Api.Part.file("files", "a.jpg", crop),
                Api.Part.field("manifest", "file,identity,camera,capturedAt\na.jpg,p1,1,+999999999-12-31T23:59:59Z\n"))), "manifest");
        is400.accept(api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, List.of(Api.Part.file("files", "a.jpg", crop),
                Api.Part.field("manifest", "file,identity,camera\na.jpg,p\u00001,1\n"))), "manifest");
    }

    @Test
    void archivesThatCannotBeReadOrComeTwiceAreRefusedWithAReason() throws Exception {
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(zipped, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            z.putNextEntry(new java.util.zip.ZipEntry("0001_c1s1_000001_01_\u00e9t\u00e9.jpg")); // Latin-1, not UTF-8
            z.write(TestCrops.bytes(TestCrops.queries().get(0)));
            z.closeEntry();
        }
        assertProblem(api.postMultipart("/api/v1/gallery/batches", Keys.INGEST,
                List.of(Api.Part.file("archive", "latin1.zip", zipped.toByteArray()))), 422, "archive", "UTF-8");
        assertProblem(api.postMultipart("/api/v1/gallery/batches", Keys.INGEST,
                List.of(Api.Part.file("archive", "cut.zip", java.util.Arrays.copyOf(zipped.toByteArray(), 40)))), 422, "archive",
                "could not be read as a zip");
        byte[] ok = zipped.toByteArray();
        assertProblem(api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, List.of(Api.Part.file("archive", "a.zip", ok),
                Api.Part.file("archive", "b.zip", ok))), 400, "archive", "one archive per batch");
    }

    /** A zip of {@code entries} entries of {@code size} zero bytes each: kilobytes that inflate to megabytes. */
    private static byte[] zeros(List<String> entries, int size) throws java.io.IOException {
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(zipped)) {
            for (String name : entries) {
                z.putNextEntry(new java.util.zip.ZipEntry(name));
                z.write(new byte[size]);
            }
        }
        return zipped.toByteArray();
    }

    @Test
    void zipBombsAre413NamingTheLimitTheyBroke() throws Exception {
        // batch archive: 3 entries of 900 kB zeros (each under the 1 MiB image limit) in ~3 kB
        byte[] archive = zeros(List.of("0001_c1s1_000001_01.jpg", "0001_c2s1_000001_01.jpg", "0001_c3s1_000001_01.jpg"), 900_000);
        assertThat(archive.length).isLessThan(10_000);
        Api.Response batch = api.postMultipart("/api/v1/gallery/batches", Keys.INGEST,
                List.of(Api.Part.file("archive", "bomb.zip", archive)));
        assertProblem(batch, 413, "archive", "reid.limits.max-compression-ratio");
        assertThat(batch.json().get("limit").asText()).isEqualTo("100:1");
        // model artifact: weights.params of 4 MiB zeros
        Api.Response model = api.postMultipart("/api/v1/models", Keys.ADMIN,
                List.of(Api.Part.file("artifact", "bomb.zip", zeros(List.of("manifest.json", "weights.params"), 4 << 20))));
        assertProblem(model, 413, "artifact", "reid.limits.max-compression-ratio");
        assertThat(model.json().get("detail").asText()).doesNotContain("/tmp");
    }

    @Test
    void aJsonBodyLargerThanTheLargestSearchIs413BeforeItIsRead() {
        // the limit is 8 crops of 1 MiB, base64, and 64 KiB (about 11 MB)
        Api.Response r = api.postJson("/api/v1/search", Keys.SEARCH, Map.of("images", List.of("A".repeat(12_000_000))));
        assertProblem(r, 413, "body", "reid.limits.max-query-images");
        assertThat(r.json().get("limit").asText()).isEqualTo("11250368 bytes");
    }

    /** Sends one raw HTTP/1.1 request (what HttpClient refuses to build); returns status, content type, body. */
    private String[] raw(String requestHead) throws Exception {
        String head = requestHead.contains("\r\n\r\n") ? requestHead.substring(0, requestHead.indexOf("\r\n\r\n")) : requestHead;
        String body = requestHead.contains("\r\n\r\n") ? requestHead.substring(requestHead.indexOf("\r\n\r\n") + 4) : "";
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            String request = head + "\r\nHost: localhost\r\nX-API-Key: " + Keys.ADMIN + "\r\nConnection: close\r\n\r\n" + body;
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String status = response.split(" ")[1];
            String contentType = "";
            for (String line : response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
                    contentType = line.substring(13).trim();
                }
            }
            String payload = response.substring(response.indexOf("\r\n\r\n") + 4);
            if (response.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                payload = dechunk(payload);
            }
            return new String[] {status, contentType, payload};
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }

    @Test
    void oversizeRequestIs413() {
        Api.Response r = api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, List.of(
                Api.Part.file("files", "a.jpg", new byte[1_500_000]), Api.Part.file("files", "b.jpg", new byte[1_500_000]),
                Api.Part.file("files", "c.jpg", new byte[1_500_000]), Api.Part.field("manifest", "file,identity,camera\n")));
        assertProblem(r, 413, "request", "4194304 bytes");
    }

    @Test
    void searchWithoutImageOrWithBadParametersIs400() {
        assertProblem(api.postMultipart("/api/v1/search", Keys.SEARCH, List.of(Api.Part.field("topK", "3"))), 400, "image",
                "at least one crop");
        Path q = TestCrops.queries().get(0);
        assertProblem(api.postMultipart("/api/v1/search", Keys.SEARCH, List.of(
                Api.Part.file("image", "q.jpg", TestCrops.bytes(q)), Api.Part.field("topK", "0"))), 400, "topK", "between 1 and 100");
        assertProblem(api.postMultipart("/api/v1/search", Keys.SEARCH, List.of(
                Api.Part.file("image", "q.jpg", TestCrops.bytes(q)), Api.Part.field("from", "yesterday"))), 400, "from", "ISO-8601");
        assertProblem(api.postJson("/api/v1/search", Keys.SEARCH, Map.of("images", List.of("%%%not base64"))), 400,
                "images[0]", "base64");
    }

    @Test
    void emptyBatchIs400() {
        assertProblem(api.postMultipart("/api/v1/gallery/batches", Keys.INGEST,
                List.of(Api.Part.field("manifest", "file,identity,camera\n"))), 400, "files", "no crops");
    }

    @Test
    void manifestNamingMissingFilesIs422() {
        Path crop = TestCrops.gallery().get(0);
        assertProblem(api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, List.of(
                Api.Part.file("files", "a.png", TestImages.variant(crop, 1)),
                Api.Part.field("manifest", "file,identity,camera\na.png,p1,1\nmissing.png,p1,2\n"))), 422, "manifest",
                "'missing.png', which is not among the uploaded files");
    }

    @Test
    void manifestWithBadCameraIs400() {
        Path crop = TestCrops.gallery().get(0);
        assertProblem(api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, List.of(
                Api.Part.file("files", "a.png", TestImages.variant(crop, 2)),
                Api.Part.field("manifest", "file,identity,camera\na.png,p1,front-door\n"))), 400, "manifest",
                "line 2: camera must be an integer");
    }

    @Test
    void unknownBatchIs404() {
        assertThat(api.get("/api/v1/gallery/batches/6f1c0000-0000-0000-0000-000000000000", Keys.INGEST).status()).isEqualTo(404);
        assertProblem(api.get("/api/v1/gallery/batches/not-a-uuid", Keys.INGEST), 400, "id", "must be UUID");
    }
}

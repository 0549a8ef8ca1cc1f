package org.reid.service.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.reid.service.models.ModelUpload;
import org.reid.service.problem.Rejection;
import org.reid.service.support.Api;
import org.reid.service.support.Keys;
import org.reid.service.support.RawHttp;
import org.reid.service.support.StoresNothingTest;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestModels;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Requests a hostile-input pass found answered with a 500, an empty body or a wrong message:
 * each is now a problem+json naming the field and what is allowed, and nothing is stored.
 */
class RefusedRequestsTest extends StoresNothingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Autowired
    private ModelUpload uploads;

    private static JsonNode problem(int status, String contentType, byte[] body, int expected, String field,
            String detailContains) throws IOException {
        String text = new String(body, StandardCharsets.UTF_8);
        assertThat(status).as(text).isEqualTo(expected);
        assertThat(contentType).as(text).startsWith("application/problem+json");
        JsonNode p = JSON.readTree(body);
        assertThat(p.path("type").asText()).as(text).doesNotEndWith("/internal");
        if (field != null) {
            assertThat(p.path("field").asText()).as(text).isEqualTo(field);
        }
        assertThat(p.path("detail").asText()).as(text).contains(detailContains);
        return p;
    }

    private static void problem(Api.Response r, int status, String field, String detailContains) throws IOException {
        problem(r.status(), r.contentType(), r.body(), status, field, detailContains);
    }

    private static void problem(RawHttp.Answer a, int status, String field, String detailContains) throws IOException {
        problem(a.status(), a.contentType(), a.body(), status, field, detailContains);
    }

    private RawHttp.Answer raw(String method, String target, List<String> headers, byte[] body) throws IOException {
        return new RawHttp(port).send(RawHttp.request(method, target, headers, body));
    }

    private static byte[] crop() {
        return TestCrops.bytes(TestCrops.gallery().get(0));
    }

    private static byte[] zip(String name, FileTime time) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry e = new ZipEntry(name);
            if (time != null) {
                e.setLastModifiedTime(time);
            }
            zip.putNextEntry(e);
            zip.write(crop());
        }
        return out.toByteArray();
    }

    private Api.Response batch(byte[] archive) {
        return api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, List.of(Api.Part.file("archive", "a.zip", archive)));
    }

    @Test
    void anArchiveEntryNamedWithANulIsRefused() throws IOException {
        problem(batch(zip("0005_c1s1_00000\u0000_01.jpg", null)), 400, "archive", "archive entry 1: its name holds a NUL");
    }

    @Test
    void anArchiveEntryTimeOutsideTheCaptureRangeIsRefused() throws IOException {
        FileTime far = FileTime.from(Instant.parse("+30828-09-14T02:48:05Z"));
        problem(batch(zip("0005_c1s1_000001_01.jpg", far)), 400, "archive", "must lie between 0001-01-01T00:00:00Z");
    }

    @Test
    void manifestLabelsAndCamerasMustBeStorableTextAndAsciiNumbers() throws IOException {
        byte[] crop = crop();
        problem(api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, List.of(Api.Part.file("files", "s.jpg", crop),
                Api.Part.field("manifest", "[{\"file\":\"s.jpg\",\"identity\":\"\\ud800x\",\"camera\":1}]"))),
                400, "manifest", "identity holds an unpaired UTF-16 surrogate");
        problem(api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, List.of(Api.Part.file("files", "s.jpg", crop),
                Api.Part.field("manifest", "file,identity,camera\ns.jpg,p1,\u0663\n"))),
                400, "manifest", "camera must be an integer >= 0");
    }

    @Test
    void aHeaderWithBytesHttpDoesNotCarryIsA400NamingIt() throws IOException {
        byte[] utf8 = "\u043a\u043b\u044e\u0447".getBytes(StandardCharsets.UTF_8); // sent raw, as curl does
        String key = "Idempotency-Key: " + new String(utf8, StandardCharsets.ISO_8859_1);
        byte[] body = ("--bb\r\nContent-Disposition: form-data; name=\"archive\"; filename=\"a.zip\"\r\n\r\n").getBytes(
                StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream multipart = new ByteArrayOutputStream();
        multipart.writeBytes(body);
        multipart.writeBytes(zip("0005_c1s1_000001_01.jpg", null));
        multipart.writeBytes("\r\n--bb--\r\n".getBytes(StandardCharsets.ISO_8859_1));
        problem(raw("POST", "/api/v1/gallery/batches", List.of("X-API-Key: " + Keys.INGEST, key,
                "Content-Type: multipart/form-data; boundary=bb"), multipart.toByteArray()), 400, "Idempotency-Key",
                "printable ASCII");
        String snowman = new String("\u2603".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        problem(raw("GET", "/api/v1/identities", List.of("X-API-Key: " + Keys.ADMIN, "Accept: " + snowman), null), 400,
                "Accept", "printable ASCII");
    }

    @Test
    void anAcceptHeaderThatDoesNotParseMeansNoPreference() throws IOException {
        RawHttp.Answer a = raw("GET", "/api/v1/identities", List.of("X-API-Key: " + Keys.ADMIN, "Accept: !!!"), null);
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("application/json");
        problem(raw("GET", "/api/v1/identities/x", List.of("X-API-Key: " + Keys.ADMIN, "Accept: !!!"), null), 400, "id",
                "decimal integer");
    }

    @Test
    void methodsAndCodingsTomcatDoesNotImplementAreRefusalsNotFailures() throws IOException {
        problem(raw("CONNECT", "/api/v1/identities", List.of("X-API-Key: " + Keys.ADMIN), null), 501, null,
                "does not implement");
        problem(raw("POST", "/api/v1/search", List.of("X-API-Key: " + Keys.SEARCH, "Content-Type: application/json",
                "Transfer-Encoding: gzip"), "{}".getBytes(StandardCharsets.UTF_8)), 501, null, "Transfer-Encoding gzip");
    }

    @Test
    void aRepeatedParameterIsNamedNotPrintedAsAnArray() throws IOException {
        problem(api.get("/api/v1/identities?page=0&page=1", Keys.ADMIN), 400, "page", "page must be given once, got 2 values");
    }

    @Test
    void partHeadersOverTomcatsLimitAreNamedAsSuch() throws IOException {
        byte[] body = ("--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\nX-Pad: "
                + "a".repeat(11_000) + "\r\n\r\nabc\r\n--XyZ--\r\n").getBytes(StandardCharsets.ISO_8859_1);
        problem(raw("POST", "/api/v1/search", List.of("X-API-Key: " + Keys.SEARCH,
                "Content-Type: multipart/form-data; boundary=XyZ"), body), 413, "body", "header lines of a multipart part");
    }

    @Test
    void tooManyPartsOnASearchDoNotNameABatchesFiles() throws IOException {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 10_010; i++) {
            body.append("--bb\r\nContent-Disposition: form-data; name=\"topK\"\r\n\r\n1\r\n");
        }
        body.append("--bb--\r\n");
        problem(raw("POST", "/api/v1/search", List.of("X-API-Key: " + Keys.SEARCH,
                "Content-Type: multipart/form-data; boundary=bb"), body.toString().getBytes(StandardCharsets.ISO_8859_1)),
                413, "request", "multipart parts");
    }

    @Test
    void aContentTypeThatDoesNotParseIsQuotedNotCalledMissing() throws IOException {
        problem(raw("POST", "/api/v1/search", List.of("X-API-Key: " + Keys.SEARCH,
                "Content-Type: application/json; charset=bogus"), "{\"images\":[]}".getBytes(StandardCharsets.UTF_8)),
                415, "Content-Type", "'application/json; charset=bogus'");
    }

    @Test
    void searchNumbersAndBase64AreStrict() throws IOException {
        String image = Base64.getMimeEncoder().encodeToString(crop()); // wrapped at 76 characters: allowed
        problem(api.postJson("/api/v1/search", Keys.SEARCH, Map.of("images", List.of("!!!!" + image))), 400, "images[0]",
                "not valid base64");
        problem(api.postJson("/api/v1/search", Keys.SEARCH, Map.of("images", List.of(image), "topK", 1.5)), 400, "topK",
                "not valid JSON");
        problem(api.postMultipart("/api/v1/search", Keys.SEARCH, List.of(Api.Part.file("image", "q.jpg", crop()),
                Api.Part.field("topK", "+5"))), 400, "topK", "topK must be an integer");
        problem(api.postMultipart("/api/v1/search", Keys.SEARCH, List.of(Api.Part.file("image", "q.jpg", crop()),
                Api.Part.field("cameras", "1,-1"))), 400, "cameras", "integers >= 0");
        Api.Response ok = api.postJson("/api/v1/search", Keys.SEARCH, Map.of("images", List.of(image), "topK", 2));
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    }

    @Test
    void aJpegDeclaringMoreThanItsDecoderReadsIsOverThePixelLimit() throws IOException {
        byte[] jpeg = crop().clone();
        for (int i = 2; i + 8 < jpeg.length; i++) { // the frame header (SOF0/SOF2): height and width set to 65535
            if ((jpeg[i] & 0xff) == 0xFF && ((jpeg[i + 1] & 0xff) == 0xC0 || (jpeg[i + 1] & 0xff) == 0xC2)) {
                for (int k = 5; k <= 8; k++) {
                    jpeg[i + k] = (byte) 0xFF;
                }
                break;
            }
        }
        problem(api.postMultipart("/api/v1/search", Keys.SEARCH, List.of(Api.Part.file("image", "q.jpg", jpeg))), 413,
                "image[0]", "reid.limits.max-image-pixels");
    }

    @Test
    void aModelManifestWithTextPostgresCannotStoreIsRefusedNamingItsPath() {
        // through the upload's service, as this context's request limit (4 MB) is below an artifact's size
        byte[] artifact = TestModels.variant("v-\u0000", 1f);
        assertThatThrownBy(() -> uploads.publish(artifact, "test"))
                .isInstanceOfSatisfying(Rejection.class, r -> {
                    assertThat(r.reason()).isEqualTo(Rejection.Reason.UNPROCESSABLE);
                    assertThat(r.field()).isEqualTo("artifact");
                })
                .hasMessageContaining("model.version holds a NUL character");
    }

    @Test
    void emptyAnswersAndMessagesThatNamedTheWrongThingAreProblems() throws IOException {
        problem(api.get("/actuator/health/db", null), 404, null, "no health component db, or its details need an API key");
        problem(api.get("/actuator/health/nope", Keys.ADMIN), 404, null, "no health component nope");
        assertThat(api.get("/actuator/health/db", Keys.ADMIN).status()).isEqualTo(200);
        assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(200);
        problem(api.get("/api/v1/identities/", Keys.ADMIN), 404, null, "no such resource: GET /api/v1/identities/ ");
        problem(raw("POST", "/api/v1/search", List.of("X-API-Key: " + Keys.SEARCH, "Content-Type: application/json"),
                new byte[0]), 400, "body", "the request body is empty");
        RawHttp.Answer big = raw("GET", "/api/v1/identities", List.of("X-API-Key: " + Keys.ADMIN, "X-Pad: " + "p".repeat(9000)),
                null);
        problem(big, 400, null, "Request header is too large");
    }

    @Test
    void aModelNamedOverTheRegistrysLimitOrNamingAnOutputItsNetworkLacksIsRefused() {
        assertThatThrownBy(() -> uploads.publish(TestModels.variant("v".repeat(201), 1f), "test"))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.field()).isEqualTo("artifact"))
                .hasMessageContaining("model version is 201 characters; the limit is 200");
        assertThatThrownBy(() -> uploads.publish(TestModels.withOutputIndex("out-1", 1), "test"))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.field()).isEqualTo("artifact"))
                .hasMessageContaining("its network does not embed a");
    }

    @Test
    void theApiDocumentationIsPublicInBothFormats() {
        for (String path : List.of("/v3/api-docs", "/v3/api-docs.yaml")) {
            Api.Response r = api.get(path, null);
            assertThat(r.status()).as(path).isEqualTo(200);
        }
    }
}

package org.reid.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reid.service.support.Api;
import org.reid.service.support.Gallery;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceTest;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestImages;

/**
 * The OpenAPI document is a contract: it parses, names the service and both ways to send a key,
 * gives every call its problem+json answers, and a client that builds its requests from the
 * document alone (part names, header name) can search and ingest.
 */
class OpenApiContractTest extends ServiceTest {
    private OpenAPI doc;

    @BeforeEach
    void read() throws Exception {
        Gallery.ensureIngested(api);
        doc = Json.mapper().readValue(api.get("/v3/api-docs", null).body(), OpenAPI.class);
    }

    @Test
    void theDocumentNamesTheServiceItsKeysAndEveryErrorAnswer() {
        assertThat(doc.getInfo().getTitle()).contains("re-identification");
        assertThat(doc.getInfo().getVersion()).isEqualTo("v1");
        Map<String, SecurityScheme> schemes = doc.getComponents().getSecuritySchemes();
        assertThat(schemes.get("apiKey").getName()).isEqualTo("X-API-Key");
        assertThat(schemes.get("bearer").getScheme()).isEqualTo("bearer");
        doc.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            assertThat(op.getResponses().get("400").getContent().get("application/problem+json").getSchema().get$ref())
                    .as(method + " " + path).endsWith("/Problem");
            assertThat(op.getResponses()).as(method + " " + path).containsKeys("401", "403", "500");
        }));
    }

    @Test
    void aClientBuiltFromTheDocumentSearchesAndIngests() {
        String header = doc.getComponents().getSecuritySchemes().get("apiKey").getName();

        Operation search = doc.getPaths().get("/api/v1/search").getPost();
        String imagePart = binaryPart(search);
        Path query = TestCrops.queries().get(0);
        Api.Response found = api.postMultipart("/api/v1/search", null,
                List.of(Api.Part.file(imagePart, "q.jpg", TestCrops.bytes(query))), Map.of(header, Keys.SEARCH));
        assertThat(found.status()).as(found.text()).isEqualTo(200);
        assertThat(found.json().get("identities").get(0).get("label").asText()).isEqualTo(TestCrops.identityOf(query));

        Operation ingest = doc.getPaths().get("/api/v1/gallery/batches").getPost();
        Map<String, Schema> form = form(ingest);
        assertThat(form).containsKeys("files", "manifest", "archive");
        List<Api.Part> parts = new ArrayList<>();
        parts.add(Api.Part.file("files", "contract.png", TestImages.variant(TestCrops.gallery().get(0), 4242)));
        parts.add(Api.Part.field("manifest", "file,identity,camera\ncontract.png,contract-client,1\n"));
        Api.Response accepted = api.postMultipart("/api/v1/gallery/batches", null, parts, Map.of(header, Keys.INGEST));
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        api.awaitBatch(accepted.headers().firstValue("Location").orElseThrow(), Keys.INGEST);
        long id = jdbc.queryForObject("select id from identity where label = 'contract-client'", Long.class);
        assertThat(api.delete("/api/v1/identities/" + id, Keys.ADMIN).status()).isEqualTo(204);
    }

    @Test
    @SuppressWarnings("rawtypes")
    void theSearchDocumentsItsQueryCameraAndWhichThresholdDecided() {
        Operation search = doc.getPaths().get("/api/v1/search").getPost();
        assertThat(search.getParameters()).filteredOn(p -> p.getName().equals("camera")).singleElement()
                .satisfies(p -> assertThat(p.getDescription()).contains("filters nothing"));
        Map<String, Schema> schemas = doc.getComponents().getSchemas();
        assertThat(((Schema) schemas.get("JsonSearch").getProperties().get("camera")).getType()).isEqualTo("integer");
        assertThat(((Schema) schemas.get("SearchResult").getProperties().get("thresholdScope")).getDescription())
                .contains("camera pair");
    }

    @SuppressWarnings("rawtypes")
    private static Map<String, Schema> form(Operation op) {
        return op.getRequestBody().getContent().get("multipart/form-data").getSchema().getProperties();
    }

    /** The name of the operation's binary (file) part, as the document declares it. */
    @SuppressWarnings("rawtypes")
    private static String binaryPart(Operation op) {
        for (Map.Entry<String, Schema> p : form(op).entrySet()) {
            Schema s = p.getValue();
            Schema item = s.getItems() != null ? s.getItems() : s;
            if ("binary".equals(item.getFormat())) {
                return p.getKey();
            }
        }
        throw new AssertionError("no binary part in " + form(op).keySet());
    }
}

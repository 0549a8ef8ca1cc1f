package org.reid.service.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reid.service.support.Api;
import org.reid.service.support.Gallery;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceTest;
import org.reid.service.support.TestCrops;

class ObservabilityTest extends ServiceTest {

    @Test
    void healthIsPublicAndReportsDatabaseModelAndIndex() {
        Gallery.ensureIngested(api);
        JsonNode open = api.get("/actuator/health", null).json();
        assertThat(open.get("status").asText()).isEqualTo("UP");
        assertThat(open.has("components")).as("details only with a key: " + open).isFalse();
        JsonNode health = api.get("/actuator/health", Keys.METRICS).json();
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("components").get("db").get("status").asText()).isEqualTo("UP");
        assertThat(health.get("components").get("model").get("details").get("model").asText()).isEqualTo("reid-demo-small:4");
        JsonNode index = health.get("components").get("index").get("details");
        assertThat(index.get("entries").asLong()).isEqualTo(index.get("postgresEmbeddings").asLong());
        assertThat(index.get("drift").asLong()).isZero();
        assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(200);
    }

    /** The count of PostgreSQL's embeddings that health reuses while nothing is written follows a write. */
    @Test
    void healthCountsTheEmbeddingsAgainAfterAWrite() {
        Gallery.ensureIngested(api);
        long before = indexHealth().get("postgresEmbeddings").asLong();
        assertThat(indexHealth().get("postgresEmbeddings").asLong()).isEqualTo(before);
        java.nio.file.Path crop = TestCrops.gallery().get(3);
        Gallery.ingest(api, "health-count", 2, List.of(org.reid.service.support.TestImages.variant(crop, 931)));
        try {
            assertThat(indexHealth().get("postgresEmbeddings").asLong()).isEqualTo(before + 1);
        } finally {
            long id = api.get("/api/v1/identities?label=health-count", Keys.ADMIN).json().get("content").get(0).get("id").asLong();
            assertThat(api.delete("/api/v1/identities/" + id, Keys.ADMIN).status()).isEqualTo(204);
        }
        assertThat(indexHealth().get("postgresEmbeddings").asLong()).isEqualTo(before);
    }

    private JsonNode indexHealth() {
        return api.get("/actuator/health", Keys.METRICS).json().get("components").get("index").get("details");
    }

    @Test
    void prometheusShowsSearchEmbedIndexIngestAndModelMeters() {
        Gallery.ensureIngested(api);
        api.postMultipart("/api/v1/search", Keys.SEARCH,
                List.of(Api.Part.file("image", "q.jpg", TestCrops.bytes(TestCrops.queries().get(0)))));
        String metrics = api.get("/actuator/prometheus", Keys.ADMIN).text();
        assertThat(metrics).contains("reid_search_latency_seconds_bucket{outcome=\"match\"")
                .contains("reid_embed_latency_seconds_count{path=\"search\"}")
                .contains("reid_embed_batch_size_count{path=\"ingest\"}")
                .contains("reid_index_query_latency_seconds_count")
                .contains("reid_index_size ")
                .contains("reid_index_drift ")
                .contains("reid_index_preparation_running ")
                .contains("reid_index_preparations_total{plan=")
                .contains("reid_ingest_items_total{outcome=\"stored\"}")
                .contains("reid_model_active ");
        // the background threads are Spring's executors, with Micrometer's executor meters
        for (String executor : List.of("ingestionExecutor", "ingestionWriterExecutor", "modelSwitchExecutor",
                "indexPreparationExecutor")) {
            assertThat(metrics).contains("executor_pool_size_threads{name=\"" + executor + "\"}");
        }
        assertThat(metrics).contains("executor_pool_core_threads{name=\"taskScheduler\"} 3.0");
    }

    @Test
    void modelsListTheActiveVersionWithItsMetrics() {
        JsonNode models = api.get("/api/v1/models", Keys.SEARCH).json();
        assertThat(models.get(0).get("state").asText()).isEqualTo("active");
        assertThat(models.get(0).get("metrics").toString()).contains("mAP");
        JsonNode active = api.get("/api/v1/models/active", Keys.SEARCH).json();
        assertThat(active.get("manifest").get("architecture").get("embeddingDim").asInt()).isEqualTo(256);
    }

    @Test
    void openApiDocumentListsTheApi() {
        String doc = api.get("/v3/api-docs", null).text();
        assertThat(doc).contains("/api/v1/search").contains("/api/v1/gallery/batches").contains("/api/v1/identities/{id}")
                .contains("/api/v1/models/{id}/activate");
        Api.Response ui = api.get("/swagger-ui/index.html", null);
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.text()).contains("Swagger UI");
    }
}

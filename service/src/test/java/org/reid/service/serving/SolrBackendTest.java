package org.reid.service.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.reid.index.TimedVectorIndex;
import org.reid.service.support.Api;
import org.reid.service.support.Gallery;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceTest;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestImages;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service with {@code reid.index.backend=solr} against a real SolrCloud of two nodes in this
 * JVM: ingestion fills the model version's collection, search answers from it, erasure empties it.
 */
@DirtiesContext
class SolrBackendTest extends ServiceTest {
    private static MiniSolrCloudCluster solr;

    @Autowired
    ActiveModel model;

    @DynamicPropertySource
    static void solrBackend(DynamicPropertyRegistry registry) throws Exception {
        solr = new MiniSolrCloudCluster(2, Files.createTempDirectory("reid-solr"), JettyConfig.builder().build());
        String urls = solr.getJettySolrRunners().stream().map(j -> j.getBaseUrl().toString()).collect(Collectors.joining(","));
        registry.add("reid.index.backend", () -> "solr");
        registry.add("reid.index.solr.urls", () -> urls);
        registry.add("reid.index.solr.name", () -> "svc");
    }

    @AfterAll
    static void stopSolr() throws Exception {
        if (solr != null) {
            solr.shutdown();
        }
    }

    @Test
    void ingestionSearchAndErasureGoThroughTheSolrCollection() throws Exception {
        Path crop = TestCrops.gallery().get(5);
        JsonNode batch = Gallery.ingest(api, "in-solr", 1, List.of(TestImages.variant(crop, 501), TestImages.variant(crop, 502)));
        assertThat(batch.get("stored").asInt()).isEqualTo(2);
        String collection = "svc-model-" + model.current().id();
        assertThat(solrCount(collection)).isEqualTo(model.current().index().size()).isGreaterThanOrEqualTo(2);

        JsonNode answer = api.postMultipart("/api/v1/search", Keys.SEARCH,
                List.of(Api.Part.file("image", "q.png", TestImages.variant(crop, 503)), Api.Part.field("topK", "5"))).json();
        assertThat(answer.get("identities").get(0).get("label").asText()).isEqualTo("in-solr");

        long identityId = api.get("/api/v1/identities?label=in-solr", Keys.SEARCH).json().get("content").get(0).get("id").asLong();
        long before = solrCount(collection);
        assertThat(api.delete("/api/v1/identities/" + identityId, Keys.ADMIN).status()).isEqualTo(204);
        assertThat(solrCount(collection)).isEqualTo(before - 2);
        assertThat(model.current().index()).isInstanceOf(TimedVectorIndex.class);
    }

    private static long solrCount(String collection) throws Exception {
        return solr.getSolrClient().query(collection, new SolrQuery("*:*").setRows(0)).getResults().getNumFound();
    }
}

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
import org.junit.jupiter.api.Test;
import org.reid.service.support.Api;
import org.reid.service.support.Gallery;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestImages;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A service of its own with {@code reid.index.backend=solr} against a real SolrCloud of two nodes
 * in this JVM: ingestion fills the model version's collection, search answers from it, erasure
 * empties it.
 */
class SolrBackendTest {

    @Test
    void ingestionSearchAndErasureGoThroughTheSolrCollection() throws Exception {
        MiniSolrCloudCluster solr = new MiniSolrCloudCluster(2, Files.createTempDirectory("reid-solr"),
                JettyConfig.builder().build());
        try (ConfigurableApplicationContext service = ServiceInstance.start(Files.createTempDirectory("solr-backend"),
                "--reid.index.backend=solr", "--reid.index.solr.name=svc", "--reid.index.solr.urls="
                        + solr.getJettySolrRunners().stream().map(j -> j.getBaseUrl().toString()).collect(Collectors.joining(",")))) {
            Api api = ServiceInstance.api(service);
            ActiveModel model = service.getBean(ActiveModel.class);
            Path crop = TestCrops.gallery().get(5);

            JsonNode batch = Gallery.ingest(api, "in-solr", 1, List.of(TestImages.variant(crop, 501), TestImages.variant(crop, 502)));
            assertThat(batch.get("stored").asInt()).isEqualTo(2);
            String collection = "svc-model-" + model.current().id();
            assertThat(count(solr, collection)).isEqualTo(model.current().index().size()).isEqualTo(2);

            JsonNode answer = api.postMultipart("/api/v1/search", Keys.ADMIN,
                    List.of(Api.Part.file("image", "q.png", TestImages.variant(crop, 503)), Api.Part.field("topK", "5"))).json();
            assertThat(answer.get("identities").get(0).get("label").asText()).isEqualTo("in-solr");

            long identityId = api.get("/api/v1/identities?label=in-solr", Keys.ADMIN).json().get("content").get(0).get("id").asLong();
            assertThat(api.delete("/api/v1/identities/" + identityId, Keys.ADMIN).status()).isEqualTo(204);
            assertThat(count(solr, collection)).isZero();
        } finally {
            solr.shutdown();
        }
    }

    private static long count(MiniSolrCloudCluster solr, String collection) throws Exception {
        return solr.getSolrClient().query(collection, new SolrQuery("*:*").setRows(0)).getResults().getNumFound();
    }
}

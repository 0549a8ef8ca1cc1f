package org.reid.service.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.reid.index.solr.SolrGallery;
import org.reid.index.solr.SolrGallerySettings;
import org.reid.service.support.Api;
import org.reid.service.support.Gallery;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestImages;
import org.reid.service.support.TestModels;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A service of its own with {@code reid.index.backend=solr} against a real SolrCloud of two nodes
 * in this JVM: ingestion fills the model version's collection, search answers from it, erasure
 * empties it, and a switch to another version moves the alias and drops the retired version's
 * collection; a collection left behind by a replica that died serving a version is dropped at the
 * next start.
 */
class SolrBackendTest {

    @Test
    void ingestionSearchAndErasureGoThroughTheSolrCollection() throws Exception {
        MiniSolrCloudCluster solr = new MiniSolrCloudCluster(2, Files.createTempDirectory("reid-solr"),
                JettyConfig.builder().build());
        // what a replica that died serving a version would leave behind: a collection no one serves
        try (SolrGallery leftBehind = SolrGallery.on(solr.getSolrClient(), SolrGallerySettings.defaults("svc").withShards(1).withReplicas(1))) {
            leftBehind.open(999_999, 16);
        }
        assertThat(collections(solr)).contains("svc-model-999999");
        try (ConfigurableApplicationContext service = ServiceInstance.start(Files.createTempDirectory("solr-backend"),
                "--reid.index.backend=solr", "--reid.index.solr.name=svc", "--reid.index.solr.urls="
                        + solr.getJettySolrRunners().stream().map(j -> j.getBaseUrl().toString()).collect(Collectors.joining(",")))) {
            Api api = ServiceInstance.api(service);
            ActiveModel model = service.getBean(ActiveModel.class);
            Path crop = TestCrops.gallery().get(5);
            Awaitility.await("the start drops the collection left behind").atMost(Duration.ofSeconds(60))
                    .until(() -> !collections(solr).contains("svc-model-999999"));
            assertThat(collections(solr)).as("the serving version's collection stays").contains("svc-model-" + model.current().id());

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

            Api.Response uploaded = api.postMultipart("/api/v1/models", Keys.ADMIN,
                    List.of(Api.Part.file("artifact", "v13.zip", TestModels.variant("13", 1.3f))));
            assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
            long next = uploaded.json().get("id").asLong();
            assertThat(api.postMultipart("/api/v1/models/" + next + "/activate", Keys.ADMIN, List.of()).status()).isEqualTo(202);
            assertThat(api.awaitSwitch(Keys.ADMIN).get("state").asText()).isEqualTo("DONE");
            assertThat(aliases(solr)).containsEntry("svc", "svc-model-" + next);
            Awaitility.await("the retired version's collection is dropped").atMost(Duration.ofSeconds(60))
                    .until(() -> !collections(solr).contains(collection));
            assertThat(collections(solr)).contains("svc-model-" + next);
        } finally {
            solr.shutdown();
        }
    }

    private static List<String> collections(MiniSolrCloudCluster solr) throws Exception {
        return CollectionAdminRequest.listCollections(solr.getSolrClient());
    }

    private static java.util.Map<String, String> aliases(MiniSolrCloudCluster solr) throws Exception {
        return new CollectionAdminRequest.ListAliases().process(solr.getSolrClient()).getAliases();
    }

    private static long count(MiniSolrCloudCluster solr, String collection) throws Exception {
        return solr.getSolrClient().query(collection, new SolrQuery("*:*").setRows(0)).getResults().getNumFound();
    }
}

package org.reid.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The distributed gallery index in the prod overlay and in docker-compose: SolrCloud on three
 * nodes over a three-node ZooKeeper ensemble, and the service pointed at every Solr node.
 */
class SolrDeploymentTest {
    private final List<HasMetadata> prod = KubernetesManifestsTest.render("prod");

    @Test
    void prodRunsThreeSolrNodesOnThreeZooKeeperNodesEachWithItsOwnVolume() {
        StatefulSet solr = KubernetesObjects.single(prod, StatefulSet.class, "reid-solr");
        StatefulSet zookeeper = KubernetesObjects.single(prod, StatefulSet.class, "reid-zookeeper");
        for (StatefulSet s : List.of(solr, zookeeper)) {
            assertThat(s.getSpec().getReplicas()).as(s.getMetadata().getName()).isEqualTo(3);
            assertThat(s.getSpec().getVolumeClaimTemplates()).as(s.getMetadata().getName() + " volumes").isNotEmpty();
            PodDisruptionBudget pdb = KubernetesObjects.single(prod, PodDisruptionBudget.class, s.getMetadata().getName());
            assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
            assertThat(s.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
                    .as(s.getMetadata().getName() + " spread over nodes").isNotEmpty();
        }
        Container node = solr.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<String> zkHosts = List.of(env(node, "ZK_HOST").split(","));
        assertThat(zkHosts).containsExactlyInAnyOrderElementsOf(podAddresses(zookeeper, 2181));
        assertThat(env(node, "SOLR_OPTS")).contains("-Dconfigset.upload.enabled=true");
    }

    @Test
    void prodServiceSharesTheSolrIndexThroughEveryNode() {
        ConfigMap config = KubernetesObjects.single(prod, ConfigMap.class, KubernetesManifestsTest.SERVICE + "-config");
        assertThat(config.getData()).containsEntry("REID_INDEX_BACKEND", "solr");
        StatefulSet solr = KubernetesObjects.single(prod, StatefulSet.class, "reid-solr");
        List<String> urls = List.of(config.getData().get("REID_INDEX_SOLR_URLS").split(","));
        assertThat(urls).containsExactlyInAnyOrderElementsOf(
                podAddresses(solr, 8983).stream().map(a -> "http://" + a + "/solr").toList());
    }

    @Test
    void onlyTheServiceAndSolrItselfReachSolr() {
        NetworkPolicy policy = KubernetesObjects.single(prod, NetworkPolicy.class, "reid-solr-access");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsEntry(KubernetesManifestsTest.NAME_LABEL, "reid-solr");
        assertThat(policy.getSpec().getIngress()).allSatisfy(rule -> assertThat(rule.getFrom())
                .extracting(peer -> peer.getPodSelector().getMatchLabels().get(KubernetesManifestsTest.NAME_LABEL))
                .containsExactlyInAnyOrder(KubernetesManifestsTest.SERVICE, "reid-solr"));
    }

    @Test
    void composeRunsSolrOnZooKeeperUnderTheSolrProfileAndTheServiceCanUseIt() {
        JsonNode services = BuiltImages.compose().path("services");
        JsonNode solr = services.path("solr");
        assertThat(solr.path("profiles").toString()).contains("\"solr\"");
        assertThat(services.path("zookeeper").path("profiles").toString()).contains("\"solr\"");
        assertThat(solr.path("environment").path("ZK_HOST").asText()).isEqualTo("zookeeper:2181");
        assertThat(solr.path("depends_on").path("zookeeper").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(solr.path("healthcheck").path("test").toString()).contains("/solr/admin/info/health");
        JsonNode service = services.path("service");
        assertThat(service.path("environment").path("REID_INDEX_SOLR_URLS").asText()).isEqualTo("http://solr:8983/solr");
        assertThat(service.path("depends_on").path("solr").path("required").asBoolean(true))
                .as("the service starts without the solr profile").isFalse();
        assertThat(solr.path("image").asText()).isEqualTo("solr:9.10.1").as("the Solr of reid-index-solr's tests");
    }

    /** host:port of every pod of a StatefulSet through its headless service. */
    private static List<String> podAddresses(StatefulSet s, int port) {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < s.getSpec().getReplicas(); i++) {
            addresses.add(s.getMetadata().getName() + "-" + i + "." + s.getSpec().getServiceName() + ":" + port);
        }
        return addresses;
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> name.equals(e.getName())).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
    }
}

package org.reid.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docker-compose.yml: a healthy database first, the service on 8080, the training job under "train" on a GPU. */
class DockerComposeTest {
    private final JsonNode services = BuiltImages.compose().path("services");

    @Test
    void theDatabaseHasAVolumeAndAPgIsReadyHealthCheck() {
        JsonNode db = services.path("db");
        assertThat(db.path("image").asText()).startsWith("postgres:17.");
        assertThat(db.path("healthcheck").path("test").toString()).contains("pg_isready");
        String volume = db.path("volumes").get(0).asText();
        String named = volume.substring(0, volume.indexOf(':'));
        assertThat(volume).endsWith(":/var/lib/postgresql/data");
        assertThat(BuiltImages.compose().path("volumes").has(named)).as("named volume %s declared", named).isTrue();
    }

    @Test
    void everyServiceUsingTheDatabaseWaitsForItToBeHealthy() {
        List<String> users = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : entries(services)) {
            JsonNode dependsOn = e.getValue().path("depends_on");
            if (dependsOn.has("db")) {
                users.add(e.getKey());
                assertThat(dependsOn.path("db").path("condition").asText()).as(e.getKey()).isEqualTo("service_healthy");
            }
        }
        assertThat(users).contains("service", "training");
    }

    @Test
    void theServiceTalksToTheComposeDatabaseOnPort8080() {
        JsonNode service = services.path("service");
        assertThat(service.path("build").path("dockerfile").asText()).isEqualTo("service/Dockerfile");
        assertThat(service.path("build").path("context").asText()).isEqualTo(".");
        assertThat(service.path("ports").toString()).contains("8080:8080");
        JsonNode env = service.path("environment");
        assertThat(env.path("SPRING_DATASOURCE_URL").asText()).isEqualTo("jdbc:postgresql://db:5432/reid");
        assertThat(env.has("SPRING_DATASOURCE_USERNAME")).isTrue();
        assertThat(env.has("SPRING_DATASOURCE_PASSWORD")).isTrue();
        assertThat(env.path("REID_DATADIR").asText()).isEqualTo("/data");
        assertThat(service.path("volumes").toString()).contains(":/data");
    }

    @Test
    void theTrainingJobRunsUnderTheTrainProfileOnAGpuAgainstTheSameRegistry() {
        String serviceDb = services.path("service").path("environment").path("SPRING_DATASOURCE_URL").asText();
        int trainers = 0;
        for (Map.Entry<String, JsonNode> e : entries(services)) {
            if (!e.getValue().path("image").asText().startsWith("reid/training-job:")) {
                continue;
            }
            trainers++;
            JsonNode trainer = e.getValue();
            assertThat(trainer.path("profiles").toString()).as(e.getKey()).contains("\"train\"");
            JsonNode devices = trainer.path("deploy").path("resources").path("reservations").path("devices");
            assertThat(devices.isArray()).as(e.getKey() + " GPU reservation").isTrue();
            assertThat(devices).anySatisfy(d -> {
                assertThat(d.path("driver").asText()).isEqualTo("nvidia");
                assertThat(d.path("capabilities").toString()).contains("gpu");
            });
            assertThat(trainer.path("environment").path("REID_REGISTRY_URL").asText())
                    .as(e.getKey() + " publishes into the service's database").startsWith(serviceDb + "?");
        }
        assertThat(trainers).isGreaterThanOrEqualTo(1);
        assertThat(services.path("training").path("build").path("dockerfile").asText()).isEqualTo("training-job/Dockerfile");
    }

    @Test
    void imagesArePinnedAndEveryDockerfileIsBuilt() {
        for (Map.Entry<String, JsonNode> e : entries(services)) {
            String image = e.getValue().path("image").asText();
            assertThat(BuiltImages.tag(image)).as(e.getKey() + " " + image).isNotNull().isNotEqualTo("latest");
        }
        assertThat(BuiltImages.byDockerfile()).containsOnlyKeys("service/Dockerfile", "training-job/Dockerfile");
        BuiltImages.byDockerfile().keySet().forEach(f -> assertThat(RepositoryRoot.resolve(f)).exists());
    }

    private static List<Map.Entry<String, JsonNode>> entries(JsonNode node) {
        List<Map.Entry<String, JsonNode>> list = new ArrayList<>();
        node.fields().forEachRemaining(list::add);
        return list;
    }
}

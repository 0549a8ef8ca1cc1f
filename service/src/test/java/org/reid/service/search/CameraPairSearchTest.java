package org.reid.service.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reid.service.support.Api;
import org.reid.service.support.Gallery;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestCrops;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A search that says its query's camera is decided on the threshold of (that camera, the camera of
 * its best match's entry) where the calibration has one, and says so ({@code thresholdScope});
 * otherwise on the global threshold. The test gallery has about 3 samples a pair, so this service
 * runs with the pair minimums lowered to 2 (the defaults, 50 and 100, need thousands of crops).
 * A camera that is no camera number is a 400 naming {@code camera}.
 */
class CameraPairSearchTest {
    private static final int MIN = 2;
    private static ConfigurableApplicationContext ctx;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        ctx = ServiceInstance.start(Files.createTempDirectory("reid-camera-pairs"),
                "--reid.search.camera-pair-min-genuine=" + MIN, "--reid.search.camera-pair-min-impostor=" + MIN);
        api = ServiceInstance.api(ctx);
        Gallery.ingestTestGallery(api);
    }

    @AfterAll
    static void stop() {
        if (ctx != null) {
            ctx.close();
        }
    }

    @Test
    void aQueryFromACameraIsDecidedOnItsCameraPairsThresholdWhereThereIsOne() {
        JsonNode c = api.get("/api/v1/models/active/calibration", Keys.ADMIN).json();
        double global = c.get("threshold").asDouble();
        assertThat(c.get("cameraPairMinimums").get("genuineSamples").asInt()).isEqualTo(MIN);
        assertThat(c.get("cameraPairMinimums").get("impostorSamples").asInt()).isEqualTo(MIN);
        List<JsonNode> calibrated = new ArrayList<>();
        int genuine = 0;
        int impostor = 0;
        for (JsonNode p : c.get("cameraPairThresholds")) {
            boolean enough = p.get("genuineSamples").asInt() >= MIN && p.get("impostorSamples").asInt() >= MIN;
            assertThat(p.get("value").isNull()).as("a threshold exactly where the pair has the minimums: %s", p).isEqualTo(!enough);
            if (enough) {
                calibrated.add(p);
            }
            genuine += p.get("genuineSamples").asInt();
            impostor += p.get("impostorSamples").asInt();
        }
        System.out.printf("camera pairs: %d sampled, %d calibrated (min %d/%d), global threshold %.3f: %s; all: %s%n",
                c.get("cameraPairThresholds").size(), calibrated.size(), MIN, MIN, global, calibrated, c.get("cameraPairThresholds"));
        assertThat(genuine).as("every best-genuine sample is filed under one pair").isEqualTo(c.get("genuineSamples").asInt());
        assertThat(impostor).as("every best-impostor sample is filed under one pair").isEqualTo(c.get("impostorSamples").asInt());
        assertThat(calibrated).as("pairs with %d samples of each kind", MIN).isNotEmpty();

        // a held-out crop whose best match is on a gallery camera some query camera has a threshold for
        // (a different one from the global threshold, so the answer shows which one it used)
        boolean checked = false;
        for (Path q : TestCrops.queries()) {
            JsonNode plain = search(api, q, null);
            assertThat(plain.get("thresholdScope").asText()).isEqualTo("all cameras");
            assertThat(plain.get("threshold").asDouble()).isEqualTo(global);
            int galleryCamera = plain.get("identities").get(0).get("bestEntries").get(0).get("cameraId").asInt();
            JsonNode pair = calibrated.stream().filter(p -> p.get("galleryCamera").asInt() == galleryCamera
                    && p.get("value").asDouble() != global).findFirst().orElse(null);
            if (pair == null) {
                continue;
            }
            int queryCamera = pair.get("queryCamera").asInt();
            double value = pair.get("value").asDouble();
            JsonNode answer = search(api, q, queryCamera);
            assertThat(answer.get("thresholdScope").asText()).as(answer.toString())
                    .isEqualTo("camera pair " + queryCamera + "->" + galleryCamera);
            assertThat(answer.get("threshold").asDouble()).as("the pair's threshold, not the global %s", global).isEqualTo(value);
            double score = answer.get("identities").get(0).get("score").asDouble();
            assertThat(answer.get("unknown").asBoolean()).as("the verdict is on the threshold shown").isEqualTo(score < value);
            assertThat(answer.get("identities")).as("the camera filters nothing").isEqualTo(plain.get("identities"));

            JsonNode json = api.postJson("/api/v1/search", Keys.ADMIN, Map.of("images",
                    List.of(Base64.getEncoder().encodeToString(TestCrops.bytes(q))), "camera", queryCamera)).json();
            assertThat(json.get("thresholdScope").asText()).isEqualTo(answer.get("thresholdScope").asText());
            assertThat(json.get("threshold").asDouble()).isEqualTo(value);

            JsonNode unsampled = search(api, q, 99);
            assertThat(unsampled.get("thresholdScope").asText()).as("camera 99 has no pair").isEqualTo("all cameras");
            assertThat(unsampled.get("threshold").asDouble()).isEqualTo(global);

            JsonNode twoCrops = api.postMultipart("/api/v1/search", Keys.ADMIN, List.of(
                    Api.Part.file("image", "a.jpg", TestCrops.bytes(q)), Api.Part.file("image", "b.jpg", TestCrops.bytes(q)),
                    Api.Part.field("camera", String.valueOf(queryCamera)))).json();
            assertThat(twoCrops.get("thresholdScope").asText()).as("two crops keep their crop count's threshold")
                    .isIn("2 crops", "all cameras");
            checked = true;
            break;
        }
        assertThat(checked).as("a held-out crop whose best gallery camera has a calibrated pair with its own threshold").isTrue();
    }

    @Test
    void aCameraThatIsNoCameraNumberIs400NamingIt() {
        byte[] crop = TestCrops.bytes(TestCrops.queries().get(0));
        for (String bad : List.of("-1", "two", "2.5", "99999999999")) {
            assertProblem(api.postMultipart("/api/v1/search", Keys.ADMIN, List.of(Api.Part.file("image", "q.jpg", crop),
                    Api.Part.field("camera", bad))), bad);
        }
        assertProblem(api.postJson("/api/v1/search", Keys.ADMIN, Map.of("images",
                List.of(Base64.getEncoder().encodeToString(crop)), "camera", -3)), "-3 (JSON)");
        assertProblem(api.postJson("/api/v1/search", Keys.ADMIN, Map.of("images",
                List.of(Base64.getEncoder().encodeToString(crop)), "camera", "two")), "\"two\" (JSON)");
    }

    private static void assertProblem(Api.Response r, String sent) {
        assertThat(r.status()).as("camera=%s: %s", sent, r.text()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("field").asText()).as("camera=%s: %s", sent, r.text()).isEqualTo("camera");
    }

    private static JsonNode search(Api api, Path crop, Integer camera) {
        List<Api.Part> parts = new ArrayList<>(List.of(Api.Part.file("image", "q.jpg", TestCrops.bytes(crop))));
        if (camera != null) {
            parts.add(Api.Part.field("camera", String.valueOf(camera)));
        }
        Api.Response r = api.postMultipart("/api/v1/search", Keys.ADMIN, parts);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }
}

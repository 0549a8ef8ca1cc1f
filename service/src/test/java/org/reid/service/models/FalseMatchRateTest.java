package org.reid.service.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reid.service.support.Api;
import org.reid.service.support.Gallery;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestCrops;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code reid.search.false-match-rate}: a service of its own at 1% calibrates its threshold there
 * (at or above the equal error threshold of the same samples), reports it consistently and
 * answers searches with it; a rate outside (0, 1) stops the start, naming the setting.
 */
class FalseMatchRateTest {

    @Test
    void aStrictFalseMatchRateRaisesTheThresholdAndSearchesUseIt() throws Exception {
        Path dataDir = Files.createTempDirectory("reid-fmr");
        try (ConfigurableApplicationContext ctx = ServiceInstance.start(dataDir, "--reid.search.false-match-rate=0.01")) {
            Api api = ServiceInstance.api(ctx);
            Gallery.ingestTestGallery(api);
            Api.Response r = api.get("/api/v1/models/active/calibration", Keys.ADMIN);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            JsonNode c = r.json();
            System.out.println("calibration (false match rate 0.01): " + CalibrationTest.summary(c));
            assertThat(c.get("method").asText()).isEqualTo("false-match-rate");
            assertThat(c.get("targetFalseMatchRate").asDouble()).isEqualTo(0.01);
            CalibrationTest.assertConsistent(c);

            double threshold = c.get("threshold").asDouble();
            JsonNode onePercent = CalibrationTest.pointAt(c, 0.01);
            assertThat(threshold).as("the 1% operating point is the served threshold").isEqualTo(onePercent.get("threshold").asDouble());
            assertThat(c.get("falseMatchRate").asDouble()).isLessThanOrEqualTo(0.01);
            JsonNode eer = c.get("equalError");
            // on this gallery the equal error point lets more than 1% of impostors through, so 1% must sit higher
            assertThat(eer.get("falseMatchRate").asDouble()).as("the equal error point's FMR").isGreaterThan(0.01);
            assertThat(threshold).as("strict FMR threshold vs the equal error threshold %s", eer.get("threshold"))
                    .isGreaterThan(eer.get("threshold").asDouble());

            for (Path q : TestCrops.queries().subList(0, 5)) {
                JsonNode answer = api.postMultipart("/api/v1/search", Keys.ADMIN,
                        List.of(Api.Part.file("image", "q.jpg", TestCrops.bytes(q)))).json();
                assertThat(answer.get("threshold").asDouble()).as("the threshold searches answer with").isEqualTo(threshold);
                assertThat(answer.get("unknown").asBoolean())
                        .isEqualTo(answer.get("identities").get(0).get("score").asDouble() < threshold);
            }
        }
    }

    @Test
    void aFalseMatchRateOutsideZeroToOneStopsTheStart() throws Exception {
        Path dataDir = Files.createTempDirectory("reid-fmr-bad");
        assertThatThrownBy(() -> ServiceInstance.start(dataDir, "--reid.search.false-match-rate=1.5").close())
                .rootCause().hasMessageContaining("reid.search.false-match-rate must be a fraction strictly between 0 and 1")
                .hasMessageEndingWith("was 1.5");
    }
}

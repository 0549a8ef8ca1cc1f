package org.reid.service.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.reid.service.support.Api;
import org.reid.service.support.Gallery;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestImages;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An erasure left to the background purge (its segments hold more than
 * {@code reid.index.sync-erase-max-entries}) is gone from answers at once, and the operator sees
 * it waiting: health "index" gives {@code erasurePendingSeconds} and the meter
 * {@code reid_index_erasure_pending_seconds} how long the oldest such erasure has waited, so a purge
 * late past {@code reid.index.erasure-window} can be alerted on.
 */
class ErasureWindowTest {

    @Test
    void anErasureWaitingForThePurgeIsShownInHealthAndMetrics() throws Exception {
        Path dataDir = Files.createTempDirectory("reid-erasure-window");
        try (ConfigurableApplicationContext ctx = ServiceInstance.start(dataDir,
                "--reid.index.sync-erase-max-entries=0", "--reid.index.erasure-window=1h")) {
            Api api = ServiceInstance.api(ctx);
            Path crop = TestCrops.gallery().get(4);
            Gallery.ingest(api, "kept", 1, List.of(TestImages.variant(crop, 501)));
            Gallery.ingest(api, "erased-later", 2, List.of(TestImages.variant(crop, 502), TestImages.variant(crop, 503)));
            assertThat(pendingSeconds(api)).as("nothing erased yet").isZero();
            assertThat(meter(api)).isZero();
            long identityId = api.get("/api/v1/identities?label=erased-later", Keys.ADMIN).json().get("content").get(0)
                    .get("id").asLong();

            assertThat(api.delete("/api/v1/identities/" + identityId, Keys.ADMIN).status()).isEqualTo(204);
            Thread.sleep(1100);

            assertThat(pendingSeconds(api)).as("the erasure waits for the background purge").isGreaterThanOrEqualTo(1);
            assertThat(meter(api)).isGreaterThanOrEqualTo(1.0);
            Api.Response search = api.postMultipart("/api/v1/search", Keys.ADMIN,
                    List.of(Api.Part.file("image", "q.png", TestImages.variant(crop, 504)), Api.Part.field("topK", "10")));
            search.json().get("identities").forEach(i -> assertThat(i.get("label").asText()).isNotEqualTo("erased-later"));
        }
    }

    private static long pendingSeconds(Api api) {
        JsonNode index = api.get("/actuator/health", Keys.ADMIN).json().get("components").get("index").get("details");
        return index.get("erasurePendingSeconds").asLong();
    }

    private static double meter(Api api) {
        Matcher m = Pattern.compile("(?m)^reid_index_erasure_pending_seconds(?:\\{[^}]*})? (\\S+)$")
                .matcher(api.get("/actuator/prometheus", Keys.ADMIN).text());
        assertThat(m.find()).as("the meter reid_index_erasure_pending_seconds").isTrue();
        return Double.parseDouble(m.group(1));
    }
}

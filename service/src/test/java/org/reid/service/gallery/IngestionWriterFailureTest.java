package org.reid.service.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.reid.service.config.WorkerExecutors;
import org.reid.service.serving.ActiveModel;
import org.reid.service.serving.ServingModel;
import org.reid.service.support.Api;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestImages;
import org.reid.service.support.TestModels;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * A batch whose writer fails leaves nothing held: PostgreSQL refuses the first chunk's entries
 * (a check constraint added beside the service), while the ingestion thread has already taken the
 * model lease and the switch stamp for the next chunk. The batch stops (its items stay staged for a
 * resume), and a model switch started afterwards still completes: its swap waits for every stamp
 * of a chunk in flight, and the version it replaces closes once its last lease is released.
 */
@ExtendWith(OutputCaptureExtension.class)
class IngestionWriterFailureTest {

    @Test
    void aFailedWriteReleasesTheNextChunksLeaseAndStampSoAModelSwitchCompletes(CapturedOutput log) throws Exception {
        // chunks of 2, so that the ingestion thread is one chunk ahead when the writer fails; the
        // stopped batch is left alone for the test's duration (no resume while the switch runs)
        try (ConfigurableApplicationContext service = ServiceInstance.start(Files.createTempDirectory("reid-writer-failure"),
                "--reid.ingest.chunk-size=2", "--reid.sync.stale-after=PT10M")) {
            Api api = ServiceInstance.api(service);
            JdbcTemplate jdbc = service.getBean(JdbcTemplate.class);
            ThreadPoolTaskExecutor ingestion = service.getBean(WorkerExecutors.INGESTION, ThreadPoolTaskExecutor.class);

            // the database refuses crops of camera 7 from now on
            jdbc.execute("alter table gallery_entry add constraint refuse_camera_7 check (camera_id <> 7) not valid");
            Path crop = TestCrops.gallery().get(3);
            List<Api.Part> parts = new ArrayList<>();
            StringBuilder manifest = new StringBuilder("file,identity,camera\n");
            for (int i = 0; i < 6; i++) {
                String name = "refused-" + i + ".png";
                parts.add(Api.Part.file("files", name, TestImages.variant(crop, 700 + i)));
                manifest.append(name).append(",refused,").append(i < 2 ? 7 : 1).append('\n');
            }
            parts.add(Api.Part.field("manifest", manifest.toString()));
            Api.Response accepted = api.postMultipart("/api/v1/gallery/batches", Keys.ADMIN, parts);
            assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
            String location = accepted.headers().firstValue("Location").orElseThrow();

            // the batch was taken (RUNNING) and its thread is done with it without finishing it: the write failed
            Awaitility.await("the batch stopped on the refused write").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> api.get(location, Keys.ADMIN).json().get("state").asText().equals("RUNNING")
                            && ingestion.getActiveCount() == 0 && ingestion.getThreadPoolExecutor().getQueue().isEmpty());
            JsonNode stopped = api.get(location, Keys.ADMIN).json();
            assertThat(stopped.get("stored").asInt()).as(stopped.toString()).isZero();
            assertThat(jdbc.queryForObject("select count(*) from gallery_entry", Long.class)).isZero();
            jdbc.execute("alter table gallery_entry drop constraint refuse_camera_7");
            // the failure is logged, but not what the refused statement carried: no crop bytes, no label
            assertThat(log.getOut()).contains("stopped; its pending items are resumed later");
            byte[] refused = TestImages.variant(crop, 700);
            String hex = java.util.HexFormat.of().formatHex(refused, 100, 140);
            assertThat(log.getOut().toLowerCase(java.util.Locale.ROOT)).doesNotContain(hex).doesNotContain("89504e470d0a1a0a")
                    .doesNotContain(org.reid.core.util.Sha256.hex(refused)).doesNotContain("refused-0.png");

            ServingModel before = service.getBean(ActiveModel.class).current();
            Api.Response uploaded = api.postMultipart("/api/v1/models", Keys.ADMIN,
                    List.of(Api.Part.file("artifact", "v13.zip", TestModels.variant("13", 1.2f))));
            assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
            long v13 = uploaded.json().get("id").asLong();
            Api.Response started = api.postMultipart("/api/v1/models/" + v13 + "/activate", Keys.ADMIN, List.of());
            assertThat(started.status()).as(started.text()).isEqualTo(202);

            JsonNode done = Awaitility.await("the model switch finished").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> api.get("/api/v1/models/switch", Keys.ADMIN).json(), s -> !s.get("state").asText().equals("RUNNING"));
            assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("DONE");
            assertThat(api.get("/api/v1/models/active", Keys.ADMIN).json().get("version").asText()).isEqualTo("13");
            Awaitility.await("the replaced version closed: no lease of it is left").atMost(Duration.ofSeconds(10))
                    .until(before::isClosed);
        }
    }
}

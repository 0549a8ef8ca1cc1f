package org.reid.service.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.reid.core.model.Embedder;
import org.reid.core.model.ModelArtifact;
import org.reid.service.support.TestCrops;

/** Micro-batching with the real demo model: concurrent requests share forward passes, same answers. */
class SearchBatcherTest {

    @Test
    void concurrentRequestsShareAForwardPassAndGetTheirOwnEmbeddings() throws Exception {
        try (Embedder embedder = ModelArtifact.load(Path.of("../models/reid-demo-small-4.zip"));
                PredictorPool pool = new PredictorPool(embedder, 1)) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            List<BufferedImage> crops = new ArrayList<>();
            for (Path p : TestCrops.queries().subList(0, 6)) {
                crops.add(ImageIO.read(p.toFile()));
            }
            float[][] alone = pool.embed(crops);
            // a generous wait so that the six requests surely meet in one batch
            try (SearchBatcher batcher = new SearchBatcher(pool, 16, Duration.ofMillis(500), meters)) {
                List<CompletableFuture<List<float[]>>> futures = new ArrayList<>();
                for (BufferedImage crop : crops) {
                    futures.add(CompletableFuture.supplyAsync(() -> batcher.embed(List.of(crop))));
                }
                for (int i = 0; i < crops.size(); i++) {
                    float[] batched = futures.get(i).get().get(0);
                    for (int d = 0; d < batched.length; d++) {
                        assertThat(batched[d]).isCloseTo(alone[i][d], org.assertj.core.data.Offset.offset(1e-3f));
                    }
                }
            }
            var sizes = meters.get("reid.embed.batch.size").summary();
            assertThat(sizes.max()).as("largest forward batch").isGreaterThan(1);
            assertThat(sizes.count()).as("forward passes for 6 requests").isLessThan(6);
        }
    }
}

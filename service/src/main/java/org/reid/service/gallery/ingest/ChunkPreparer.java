package org.reid.service.gallery.ingest;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.reid.core.data.MarketName;
import org.reid.service.embedding.EmbeddingMetrics;
import org.reid.service.gallery.GalleryWriter;
import org.reid.service.gallery.ingest.PreparedChunk.Outcome;
import org.reid.service.image.ImageGuard;
import org.reid.service.problem.Rejection;
import org.reid.service.serving.ServingModel;
import org.springframework.stereotype.Component;

/**
 * The first stage of ingestion: checks each crop of a chunk (decodable, within limits, a name that
 * says who it is), marks repeats of an earlier crop of the chunk, and embeds the rest in one
 * forward pass per model version.
 */
@Component
class ChunkPreparer {
    private final ImageGuard guard;
    private final Timer embedTimer;
    private final DistributionSummary batchSize;

    ChunkPreparer(ImageGuard guard, MeterRegistry meters) {
        this.guard = guard;
        this.embedTimer = EmbeddingMetrics.embedTimer(meters, "ingest");
        this.batchSize = EmbeddingMetrics.batchSize(meters, "ingest");
    }

    PreparedChunk prepare(ServingModel model, ServingModel target, List<IngestItems.Pending> chunk) {
        List<Outcome> outcomesOfChunk = new ArrayList<>(chunk.size());
        Map<String, Integer> firstOfSha = new HashMap<>();
        for (IngestItems.Pending item : chunk) {
            Outcome o = check(item);
            if (o.image() != null) {
                Integer earlier = firstOfSha.putIfAbsent(o.image().sha256(), outcomesOfChunk.size());
                if (earlier != null) {
                    o = new Outcome(item, ItemState.DUPLICATE, "same image as " + chunk.get(earlier).fileName(), o.image());
                }
            }
            outcomesOfChunk.add(o);
        }
        List<Outcome> toEmbed = outcomesOfChunk.stream().filter(o -> o.state() == ItemState.PENDING).toList();
        float[][] vectors = new float[0][];
        float[][] targetVectors = new float[0][];
        if (!toEmbed.isEmpty()) {
            List<BufferedImage> pixels = toEmbed.stream().map(o -> o.image().pixels()).toList();
            long t0 = System.nanoTime();
            vectors = model.predictors().embed(pixels);
            embedTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            batchSize.record(pixels.size());
            if (target != null) {
                targetVectors = target.predictors().embed(pixels);
            }
        }
        float[][] embedded = vectors;
        float[][] targetEmbedded = targetVectors;
        List<GalleryWriter.NewCrop> crops = new ArrayList<>();
        for (int i = 0; i < toEmbed.size(); i++) {
            IngestItems.Pending it = toEmbed.get(i).item();
            Map<Long, float[]> byModel = new HashMap<>();
            byModel.put(model.id(), embedded[i]);
            if (target != null) {
                byModel.put(target.id(), targetEmbedded[i]);
            }
            crops.add(new GalleryWriter.NewCrop(it.identity(), toEmbed.get(i).image(), it.cameraId(), it.capturedAt(),
                    "batch:" + it.batchId(), byModel));
        }
        return new PreparedChunk(model, target, outcomesOfChunk, toEmbed, crops);
    }

    /** Why a crop of a Market-1501 archive names no identity of the gallery. */
    static String whyNoIdentity(String fileName) {
        Optional<MarketName> market = MarketName.parse(fileName);
        if (market.isPresent() && market.get().isJunk()) {
            return "junk image (identity -1 in Market-1501 naming) is not stored";
        }
        if (market.isPresent() && market.get().isDistractor()) {
            return "distractor (identity " + market.get().identity() + " in Market-1501 naming: a person who is not one"
                    + " of the data set's identities) is not stored";
        }
        return "file name is not in Market-1501 naming (like 0042_c2s1_000151_01.jpg)";
    }

    private Outcome check(IngestItems.Pending item) {
        if (item.identity() == null) {
            return new Outcome(item, ItemState.FAILED, whyNoIdentity(item.fileName()), null);
        }
        try {
            return new Outcome(item, ItemState.PENDING, null, guard.check(item.fileName(), item.bytes()));
        } catch (Rejection e) {
            return new Outcome(item, ItemState.FAILED, e.getMessage(), null);
        }
    }
}

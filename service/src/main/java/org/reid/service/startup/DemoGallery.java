package org.reid.service.startup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.reid.core.data.CrossCameraQueries;
import org.reid.core.data.MarketName;
import org.reid.synth.ProgressListener;
import org.reid.synth.SynthConfig;
import org.reid.synth.SyntheticDataset;
import org.reid.core.util.FileTrees;
import org.reid.service.config.ReidProperties;
import org.reid.service.gallery.ingest.IngestionService;
import org.reid.service.gallery.ingest.SubmittedItem;
import org.reid.service.security.AuditLog;
import org.reid.service.store.Identities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The demo gallery of a first start: synthetic pedestrians (reid-core's generator) ingested through
 * the same batch path as an operator's crops. The query split is kept under
 * {@code <data-dir>/demo/query}: held-out crops of gallery identities to try a search with, each
 * from a camera that holds none of its identity's gallery crops (the Market-1501 protocol).
 */
@Component
public class DemoGallery {
    private static final Logger log = LoggerFactory.getLogger(DemoGallery.class);

    private final ReidProperties properties;
    private final Identities identities;
    private final IngestionService ingestion;

    public DemoGallery(ReidProperties properties, Identities identities, IngestionService ingestion) {
        this.properties = properties;
        this.identities = identities;
        this.ingestion = ingestion;
    }

    /** Seeds when enabled and the gallery is empty; returns the number of crops submitted. */
    public int seedIfEmpty() {
        ReidProperties.Demo demo = properties.getDemo();
        if (!demo.isSeed() || identities.count() > 0) {
            return 0;
        }
        String key = "demo-gallery-" + demo.getSeedValue() + "-" + demo.getIdentities();
        if (ingestion.byIdempotencyKey(key).isPresent()) {
            return 0; // seeded before, and the operator has since erased it
        }
        Path dir = properties.getDataDir().toAbsolutePath().resolve("demo");
        try {
            if (!Files.exists(dir.resolve("bounding_box_test"))) {
                FileTrees.deleteRecursively(dir);
                SynthConfig config = SynthConfig.builder().identities(demo.getIdentities()).cameras(6).imagesPerIdentity(8)
                        .seed(demo.getSeedValue()).distractorRate(0).junkRate(0).build();
                SyntheticDataset.generate(config, dir, ProgressListener.NONE);
            }
            // the Market-1501 protocol on disk: a right first answer is a cross-camera match
            CrossCameraQueries.Result protocol = CrossCameraQueries.rearrange(dir);
            List<SubmittedItem> items = new ArrayList<>();
            Instant base = Instant.now();
            for (String split : List.of("bounding_box_train", "bounding_box_test")) {
                try (Stream<Path> files = Files.list(dir.resolve(split))) {
                    for (Path f : files.sorted().toList()) {
                        Optional<MarketName> name = MarketName.parse(f.getFileName().toString())
                                .filter(n -> !n.isJunk() && !n.isDistractor());
                        if (name.isPresent()) {
                            items.add(new SubmittedItem(f.getFileName().toString(), name.get().identity(), name.get().camera(),
                                    base.minusSeconds(items.size()), Files.readAllBytes(f)));
                        }
                    }
                }
            }
            ingestion.submit(items, key, AuditLog.SYSTEM);
            log.info("demo gallery: {} synthetic crops of {} identities submitted; try one of the {} query crops of {} "
                    + "identities in {} (each from a camera that holds none of its identity's gallery crops)",
                    items.size(), demo.getIdentities(), protocol.queries(), protocol.identitiesQueried(), dir.resolve("query"));
            return items.size();
        } catch (IOException e) {
            throw new UncheckedIOException("demo gallery could not be prepared in " + dir + ": " + e.getMessage(), e);
        }
    }
}

package org.reid.service.startup;

import org.reid.service.config.ReidProperties;
import org.reid.service.gallery.EmbeddingBackfill;
import org.reid.service.gallery.ingest.IngestionWorker;
import org.reid.service.models.ModelBootstrap;
import org.reid.service.models.ModelSwitcher;
import org.reid.service.security.ApiKeys;
import org.reid.service.serving.ActiveModel;
import org.reid.service.serving.ServingModel;
import org.reid.service.store.Replicas;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * What happens once the schema is migrated, before the service reports ready: keys, the active
 * model and its index (opened and checked against PostgreSQL; when it is behind or missing it is
 * caught up or built in the background, IndexCatchUp), crops still missing an embedding, batches
 * interrupted by the last stop, and the demo gallery of a first start.
 */
@Component
public class ServiceStartup implements ApplicationRunner {
    private final ApiKeys keys;
    private final ActiveModel model;
    private final EmbeddingBackfill backfill;
    private final IngestionWorker ingestion;
    private final DemoGallery demo;
    private final ModelSwitcher switcher;
    private final ModelBootstrap bootstrap;
    private final String bootstrapLocation;
    private final java.time.Duration staleAfter;
    private final Replicas replicas;

    public ServiceStartup(ApiKeys keys, ActiveModel model, EmbeddingBackfill backfill, IngestionWorker ingestion,
            DemoGallery demo, ModelSwitcher switcher, ModelBootstrap bootstrap, ReidProperties properties, Replicas replicas) {
        this.replicas = replicas;
        this.keys = keys;
        this.model = model;
        this.backfill = backfill;
        this.ingestion = ingestion;
        this.demo = demo;
        this.switcher = switcher;
        this.bootstrap = bootstrap;
        this.bootstrapLocation = properties.getModel().getBootstrap();
        this.staleAfter = properties.getSync().getStaleAfter();
    }

    @Override
    public void run(ApplicationArguments args) {
        keys.loadStoredAndGenerateIfNone();
        // a new installation has no active model: the bootstrap model (the bundled one by default) becomes it
        ServingModel serving = model.load(bootstrap.ensureActive(bootstrapLocation));
        // the index is open (locked): this data directory is ours, and the replica that ran on it before is gone
        replicas.start();
        backfill.run(serving);
        model.calibrate(serving);
        // a switch or batch of the last run resumes here: at once when its replica is gone (the last
        // run on this data directory, or one that stopped beating), else after reid.sync.stale-after
        // without progress, so that work another live replica runs is left to it
        switcher.resumeIfStale(staleAfter);
        ingestion.resumeStale(staleAfter);
        demo.seedIfEmpty();
    }
}

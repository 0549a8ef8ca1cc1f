package org.reid.service.config;

import org.reid.service.gallery.DemoGallery;
import org.reid.service.gallery.EmbeddingBackfill;
import org.reid.service.gallery.ingest.IngestionWorker;
import org.reid.service.models.ActiveModel;
import org.reid.service.models.ModelSwitcher;
import org.reid.service.models.ServingModel;
import org.reid.service.security.ApiKeys;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * What happens once the schema is migrated, before the service reports ready: keys, the active
 * model and its index (rebuilt from PostgreSQL if stale), crops still missing an embedding,
 * batches interrupted by the last stop, and the demo gallery of a first start.
 */
@Component
public class ServiceStartup implements ApplicationRunner {
    private final ApiKeys keys;
    private final ActiveModel model;
    private final EmbeddingBackfill backfill;
    private final IngestionWorker ingestion;
    private final DemoGallery demo;
    private final ModelSwitcher switcher;
    private final java.time.Duration staleAfter;

    public ServiceStartup(ApiKeys keys, ActiveModel model, EmbeddingBackfill backfill, IngestionWorker ingestion,
            DemoGallery demo, ModelSwitcher switcher,
            @org.springframework.beans.factory.annotation.Value("${reid.sync.stale-after:PT60S}") java.time.Duration staleAfter) {
        this.keys = keys;
        this.model = model;
        this.backfill = backfill;
        this.ingestion = ingestion;
        this.demo = demo;
        this.switcher = switcher;
        this.staleAfter = staleAfter;
    }

    @Override
    public void run(ApplicationArguments args) {
        keys.loadStoredAndGenerateIfNone();
        ServingModel serving = model.load();
        backfill.run(serving);
        model.calibrate(serving);
        // a switch or batch of the last run resumes here (after reid.sync.stale-after without progress,
        // so that a batch another replica is working on is left to it)
        switcher.resumeIfStale(staleAfter);
        ingestion.resumeStale(staleAfter);
        demo.seedIfEmpty();
    }
}

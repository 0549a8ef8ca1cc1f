package org.reid.service.serving;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.reid.core.model.Embedder;
import org.reid.core.model.ModelArtifact;
import org.reid.registry.ModelRegistry;
import org.reid.registry.RegisteredModel;
import org.reid.service.config.ReidProperties;
import org.reid.service.embedding.PredictorPool;
import org.reid.service.embedding.SearchBatcher;
import org.reid.service.problem.Rejection;
import org.reid.service.store.Replicas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The model version the service answers with. Requests take the current {@link ServingModel} once
 * and keep it; a swap replaces the reference atomically.
 */
@Service
public class ActiveModel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ActiveModel.class);

    private final ModelRegistry registry;
    private final GalleryIndexes indexes;
    private final ReidProperties properties;
    private final MeterRegistry meters;
    private final ThresholdCalibration calibration;
    private final IndexCatchUp catchUp;
    private final Replicas replicas;
    private final AtomicReference<ServingModel> current = new AtomicReference<>();

    public ActiveModel(ModelRegistry registry, GalleryIndexes indexes, ReidProperties properties,
            MeterRegistry meters, ThresholdCalibration calibration, IndexCatchUp catchUp, Replicas replicas) {
        this.registry = registry;
        this.catchUp = catchUp;
        this.replicas = replicas;
        this.calibration = calibration;
        this.indexes = indexes;
        this.properties = properties;
        this.meters = meters;
        Gauge.builder("reid.model.active", current, c -> c.get() == null ? 0 : c.get().id())
                .description("registry id of the active model version (0 while loading)")
                .register(meters);
    }

    /**
     * Loads {@code registered}, the registry's active model, and serves it at once: its index, if it
     * needs anything, is brought up to date in the background (the last good index answers meanwhile;
     * an index being built answers nothing, {@link IndexProgress#searchable()}).
     */
    public ServingModel load(RegisteredModel registered) {
        ServingModel serving = open(registered, false);
        indexes.activate(serving.id());
        replicas.serving(serving.id());
        ServingModel old = current.getAndSet(serving);
        if (old != null) {
            old.retire();
        }
        log.info("serving model {} (registry id {}), gallery index of {} entries", serving.label(), serving.id(),
                serving.index().size());
        return serving;
    }

    /**
     * Loads a registered version with its predictors, batcher and index, the index brought up to
     * date with PostgreSQL before this returns (a switch's target, a version followed).
     */
    public ServingModel open(RegisteredModel registered) {
        return open(registered, true);
    }

    private ServingModel open(RegisteredModel registered, boolean indexUpToDateFirst) {
        Embedder embedder = loadEmbedder(registered);
        ServingModel serving;
        GalleryIndexes.Opened opened;
        try {
            PredictorPool pool = new PredictorPool(embedder, properties.getModel().getPredictors());
            SearchBatcher batcher = new SearchBatcher(pool, properties.getSearch().getMaxBatch(),
                    properties.getSearch().getMaxWait(), meters);
            opened = indexes.open(registered.id(), embedder.dimension());
            serving = new ServingModel(registered, embedder, pool, batcher, opened.index(), opened.progress());
        } catch (RuntimeException e) {
            embedder.close();
            throw e;
        }
        serving.whenRetired(() -> {
            ServingModel now = current.get();
            if (now == null || now.id() != registered.id()) { // not when the same version was loaded again
                indexes.discard(registered.id());
            }
        });
        try {
            if (indexUpToDateFirst) {
                catchUp.runNow(opened);
            } else {
                catchUp.runInBackground(opened);
            }
        } catch (RuntimeException e) {
            serving.close();
            throw e;
        }
        return serving;
    }

    /**
     * Leases the serving model for one request or chunk of work; call {@link ServingModel#release()}
     * when done. A version retired meanwhile stays open until its last lease ends.
     */
    public ServingModel acquire() {
        while (true) {
            ServingModel m = current();
            if (m.retain()) {
                return m;
            }
        }
    }

    /** Makes {@code next} the serving model; the previous one closes when its leases end. */
    public void swapTo(ServingModel next) {
        indexes.activate(next.id()); // a shared index's alias follows (SolrCloud); nothing for embedded ones
        replicas.serving(next.id()); // before the old version retires: its shared index is dropped once no replica serves it
        ServingModel old = current.getAndSet(next);
        if (old != null && old != next) {
            old.retire();
        }
        log.info("now serving model {} (registry id {})", next.label(), next.id());
    }

    /** A version loaded for scoring only (validation): predictors, no index. Close it after use. */
    public ServingModel openWithoutIndex(RegisteredModel registered) {
        Embedder embedder = loadEmbedder(registered);
        PredictorPool pool = new PredictorPool(embedder, 1);
        SearchBatcher batcher = new SearchBatcher(pool, 1, java.time.Duration.ZERO, meters);
        return new ServingModel(registered, embedder, pool, batcher, new NoIndex(embedder.dimension()),
                IndexProgress.current(registered.id(), "a scoring-only model has no index"));
    }

    /** Re-calibrates the "unknown" threshold of a version on its current gallery embeddings. */
    public void calibrate(ServingModel model) {
        var t = calibration.calibrate(model.id());
        model.setThreshold(t);
        log.info("unknown threshold of {}: {} ({})", model.label(), t.value(), t.source());
    }

    /** The serving model (without a lease: for reading its identity or size); 503 while loading. */
    public ServingModel current() {
        ServingModel m = current.get();
        if (m == null) {
            throw Rejection.unavailable("the model and gallery index are still loading; retry in a few seconds");
        }
        return m;
    }

    public boolean isReady() {
        return current.get() != null;
    }

    private Embedder loadEmbedder(RegisteredModel registered) {
        Path dir = properties.getDataDir().toAbsolutePath().resolve("models");
        Path zip = dir.resolve("model-" + registered.id() + "-" + registered.artifactSha256().substring(0, 12) + ".zip");
        try {
            if (!Files.exists(zip)) {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, "download", ".zip");
                Files.write(tmp, registry.artifact(registered.id()));
                Files.move(tmp, zip, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return ModelArtifact.load(zip);
        } catch (IOException e) {
            throw new UncheckedIOException("model " + registered.name() + " " + registered.version() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        ServingModel m = current.getAndSet(null);
        if (m != null) {
            m.close();
        }
    }
}

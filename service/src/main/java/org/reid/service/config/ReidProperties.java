package org.reid.service.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.reid.index.IndexOptions;
import org.reid.index.Quantization;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Everything under {@code reid.*}, with the defaults of a demo run. Immutable: Spring binds it once
 * through the constructors, and each constructor rejects a value out of range with a message that
 * names the key, so a bad setting stops the start instead of surfacing later as a wrong answer.
 */
@ConfigurationProperties(prefix = "reid")
public final class ReidProperties {
    private final Path dataDir;
    private final String adminKey;
    private final Model model;
    private final Search search;
    private final Index index;
    private final Limits limits;
    private final Ingest ingest;
    private final Demo demo;
    private final Retention retention;
    private final Security security;
    private final Promotion promotion;
    private final Sync sync;
    private final EmbeddedPostgres embeddedPostgres;

    /**
     * @param dataDir where the embedded PostgreSQL, the vector indexes and unpacked models live
     * @param adminKey an admin API key given by the environment ({@code REID_ADMIN_KEY}); empty: none
     */
    public ReidProperties(@DefaultValue("data") Path dataDir, @DefaultValue("") String adminKey,
            @DefaultValue Model model, @DefaultValue Search search, @DefaultValue Index index,
            @DefaultValue Limits limits, @DefaultValue Ingest ingest, @DefaultValue Demo demo,
            @DefaultValue Retention retention, @DefaultValue Security security,
            @DefaultValue Promotion promotion, @DefaultValue Sync sync, @DefaultValue EmbeddedPostgres embeddedPostgres) {
        this.dataDir = dataDir;
        this.adminKey = adminKey;
        this.model = model;
        this.search = search;
        this.index = index;
        this.limits = limits;
        this.ingest = ingest;
        this.demo = demo;
        this.retention = retention;
        this.security = security;
        this.promotion = promotion;
        this.sync = sync;
        this.embeddedPostgres = embeddedPostgres;
    }

    /** The defaults, bound the way Spring binds them (for code and tests outside a Spring context). */
    public static ReidProperties defaults() {
        return of(Map.of());
    }

    /** Binds {@code reid.*} keys (without the prefix, e.g. {@code "search.max-top-k"}) over the defaults. */
    public static ReidProperties of(Map<String, String> keys) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        keys.forEach((key, value) -> source.put("reid." + key, value));
        return new Binder(source).bindOrCreate("reid", ReidProperties.class);
    }

    public Path getDataDir() { return dataDir; }
    public String getAdminKey() { return adminKey; }
    public Model getModel() { return model; }
    public Search getSearch() { return search; }
    public Index getIndex() { return index; }
    public Limits getLimits() { return limits; }
    public Ingest getIngest() { return ingest; }
    public Demo getDemo() { return demo; }
    public Retention getRetention() { return retention; }
    public Security getSecurity() { return security; }
    public Promotion getPromotion() { return promotion; }
    public Sync getSync() { return sync; }
    public EmbeddedPostgres getEmbeddedPostgres() { return embeddedPostgres; }

    public static final class Promotion {
        private final boolean auto;
        private final double minMapGain;
        private final int validationIdentities;
        private final Duration pollEvery;

        /**
         * @param auto switch to a candidate that beats the active model on the gallery validation split
         * @param minMapGain mAP the candidate must gain over the active model (fraction, 0.01 = one point)
         * @param pollEvery how often the registry is checked for a new candidate
         */
        public Promotion(@DefaultValue("false") boolean auto, @DefaultValue("0.01") double minMapGain,
                @DefaultValue("200") int validationIdentities, @DefaultValue("1m") Duration pollEvery) {
            require(positive(pollEvery), "reid.promotion.poll-every", "positive", pollEvery);
            require(minMapGain >= -1 && minMapGain <= 1, "reid.promotion.min-map-gain", "between -1 and 1", minMapGain);
            require(validationIdentities >= 2, "reid.promotion.validation-identities", "at least 2", validationIdentities);
            this.auto = auto;
            this.minMapGain = minMapGain;
            this.validationIdentities = validationIdentities;
            this.pollEvery = pollEvery;
        }

        public boolean isAuto() { return auto; }
        public double getMinMapGain() { return minMapGain; }
        public int getValidationIdentities() { return validationIdentities; }
        public Duration getPollEvery() { return pollEvery; }
    }

    public static final class Model {
        private final String bootstrap;
        private final int predictors;

        /**
         * @param bootstrap artifact published and activated when the registry has no active model (a
         *     Spring resource location); empty: start only with a model from the registry
         * @param predictors predictors kept for concurrent forward passes
         */
        public Model(@DefaultValue("classpath:models/reid-demo-small-4.zip") String bootstrap,
                @DefaultValue("2") int predictors) {
            require(predictors >= 1, "reid.model.predictors", "at least 1", predictors);
            this.bootstrap = bootstrap;
            this.predictors = predictors;
        }

        public String getBootstrap() { return bootstrap; }
        public int getPredictors() { return predictors; }
    }

    public static final class Search {
        private final double unknownThreshold;
        private final boolean calibrateThreshold;
        private final Double falseMatchRate;
        private final int maxTopK;
        private final int candidatesPerIdentity;
        private final int maxBatch;
        private final Duration maxWait;
        private final int cameraPairMinGenuine;
        private final int cameraPairMinImpostor;

        /**
         * @param unknownThreshold cosine similarity under which the best identity is "unknown", when it
         *     is not calibrated (or the gallery is too small to calibrate)
         * @param calibrateThreshold calibrate the threshold on the gallery's cross-camera pairs
         * @param falseMatchRate the calibrated threshold's operating point: the share of strangers'
         *     queries allowed to match someone (0.01 = 1%); null: the equal error rate
         * @param candidatesPerIdentity entries fetched from the index per requested identity
         * @param maxBatch micro-batching of concurrent searches: the largest forward batch...
         * @param maxWait ...and how long the first request of a batch waits for company
         * @param cameraPairMinGenuine best-genuine scores a (query camera, gallery camera) pair needs
         *     for a threshold of its own (fewer: the threshold of all cameras)
         * @param cameraPairMinImpostor best-impostor scores it needs (100: a 1% false match rate is
         *     measurable on it)
         */
        public Search(@DefaultValue("0.5") double unknownThreshold, @DefaultValue("true") boolean calibrateThreshold,
                Double falseMatchRate, @DefaultValue("100") int maxTopK, @DefaultValue("10") int candidatesPerIdentity,
                @DefaultValue("16") int maxBatch, @DefaultValue("3ms") Duration maxWait,
                @DefaultValue("50") int cameraPairMinGenuine, @DefaultValue("100") int cameraPairMinImpostor) {
            require(unknownThreshold >= -1 && unknownThreshold <= 1, "reid.search.unknown-threshold",
                    "a cosine similarity between -1 and 1", unknownThreshold);
            require(falseMatchRate == null || (falseMatchRate > 0 && falseMatchRate < 1),
                    "reid.search.false-match-rate",
                    "a fraction strictly between 0 and 1 (0.01 = 1% of strangers' queries matched; unset: the equal error rate)",
                    falseMatchRate);
            require(maxTopK >= 1, "reid.search.max-top-k", "at least 1", maxTopK);
            require(candidatesPerIdentity >= 1, "reid.search.candidates-per-identity", "at least 1", candidatesPerIdentity);
            require(maxBatch >= 1, "reid.search.max-batch", "at least 1", maxBatch);
            require(!maxWait.isNegative(), "reid.search.max-wait", "zero or more", maxWait);
            require(cameraPairMinGenuine >= 1, "reid.search.camera-pair-min-genuine", "at least 1", cameraPairMinGenuine);
            require(cameraPairMinImpostor >= 1, "reid.search.camera-pair-min-impostor", "at least 1", cameraPairMinImpostor);
            this.unknownThreshold = unknownThreshold;
            this.calibrateThreshold = calibrateThreshold;
            this.falseMatchRate = falseMatchRate;
            this.maxTopK = maxTopK;
            this.candidatesPerIdentity = candidatesPerIdentity;
            this.maxBatch = maxBatch;
            this.maxWait = maxWait;
            this.cameraPairMinGenuine = cameraPairMinGenuine;
            this.cameraPairMinImpostor = cameraPairMinImpostor;
        }

        public double getUnknownThreshold() { return unknownThreshold; }
        public boolean isCalibrateThreshold() { return calibrateThreshold; }
        public Double getFalseMatchRate() { return falseMatchRate; }
        public int getMaxTopK() { return maxTopK; }
        public int getCandidatesPerIdentity() { return candidatesPerIdentity; }
        public int getMaxBatch() { return maxBatch; }
        public Duration getMaxWait() { return maxWait; }
        public int getCameraPairMinGenuine() { return cameraPairMinGenuine; }
        public int getCameraPairMinImpostor() { return cameraPairMinImpostor; }
    }

    public static final class Index {
        private final int exactThreshold;
        private final Backend backend;
        private final Solr solr;
        private final IndexOptions options;

        /**
         * @param exactThreshold below this many entries a search is exact; above it HNSW (the
         *     embedded index only)
         * @param backend where the gallery index lives: on each replica's disk, or shared on SolrCloud
         * @param quantization how the HNSW graph stores vectors: none (floats), int7 or int4
         *     (re-scored with the floats)
         * @param hnswM HNSW graph degree (M)
         * @param hnswEfConstruction HNSW candidate list while building (efConstruction)
         * @param efSearch HNSW candidates gathered per search (at least the entries asked for)
         * @param maxSegmentMb background merges build segments up to this size; a purge rewrites
         *     whole segments
         * @param syncEraseMaxEntries an erasure whose segments hold at most this many entries is
         *     purged from disk before it returns
         * @param erasureWindow larger erasures are purged from disk by a background run this often
         *     (0: always at once)
         * @param mergeThreads threads that build one merged segment's HNSW graph together: merges
         *     and purges finish that many times sooner, taking as many cores from searches meanwhile
         * @param searchThreads threads one search uses to walk its segments' graphs at once (1: one
         *     after another on the request's thread)
         * @param graphMinEntries index segments of fewer entries get no HNSW graph and are scanned
         *     instead (0: a graph for every segment)
         * @param bulkRefreshInterval how soon a running batch's stored crops become searchable (all
         *     of them once it is DONE); 0: after every chunk
         */
        public Index(@DefaultValue("20000") int exactThreshold, @DefaultValue("embedded") Backend backend,
                @DefaultValue Solr solr, @DefaultValue("int7") String quantization, @DefaultValue("16") int hnswM,
                @DefaultValue("100") int hnswEfConstruction, @DefaultValue("100") int efSearch,
                @DefaultValue("1024") double maxSegmentMb, @DefaultValue("20000") int syncEraseMaxEntries,
                @DefaultValue("10m") Duration erasureWindow, @DefaultValue("1") int mergeThreads,
                @DefaultValue("1") int searchThreads, @DefaultValue("10000") int graphMinEntries,
                @DefaultValue("1s") Duration bulkRefreshInterval) {
            require(exactThreshold >= 0, "reid.index.exact-threshold", "zero or more", exactThreshold);
            require(backend != Backend.SOLR || !solr.getUrls().isEmpty(), "reid.index.solr.urls",
                    "at least one Solr node URL with reid.index.backend=solr", solr.getUrls());
            this.exactThreshold = exactThreshold;
            this.backend = backend;
            this.solr = solr;
            try {
                this.options = IndexOptions.DEFAULTS.withExactThreshold(exactThreshold)
                        .withQuantization(Quantization.parse(quantization))
                        .withHnsw(hnswM, hnswEfConstruction)
                        .withEfSearch(efSearch)
                        .withMaxSegmentMb(maxSegmentMb)
                        .withErasure(syncEraseMaxEntries, erasureWindow)
                        .withMergeWorkers(mergeThreads)
                        .withSearchThreads(searchThreads)
                        .withGraphMinEntries(graphMinEntries)
                        .withBulkRefreshInterval(bulkRefreshInterval);
            } catch (IllegalArgumentException e) { // the index's own checks, in its words
                throw new IllegalArgumentException("invalid reid.index.* setting (quantization, hnsw-m, "
                        + "hnsw-ef-construction, ef-search, max-segment-mb, sync-erase-max-entries, erasure-window, "
                        + "merge-threads, search-threads, graph-min-entries, bulk-refresh-interval): "
                        + e.getMessage(), e);
            }
        }

        /** The embedded index's options, as the {@code reid.index.*} keys set them. */
        public IndexOptions options() { return options; }
        public int getExactThreshold() { return exactThreshold; }
        public Backend getBackend() { return backend; }
        public Solr getSolr() { return solr; }

        public enum Backend { EMBEDDED, SOLR }

        /** The SolrCloud gallery ({@code reid.index.backend=solr}). */
        public static final class Solr {
            private final List<String> urls;
            private final String name;
            private final int shards;
            private final int replicas;

            /**
             * @param urls Solr node URLs, e.g. http://solr-0.solr:8983/solr; the client learns the
             *     rest of the cluster from them
             * @param name the alias naming the active model version's collection; collections are
             *     {@code <name>-model-<id>}
             */
            public Solr(List<String> urls, @DefaultValue("reid-gallery") String name, @DefaultValue("2") int shards,
                    @DefaultValue("2") int replicas) {
                require(shards >= 1, "reid.index.solr.shards", "at least 1", shards);
                require(replicas >= 1, "reid.index.solr.replicas", "at least 1", replicas);
                this.urls = urls == null ? List.of() : List.copyOf(urls);
                this.name = name;
                this.shards = shards;
                this.replicas = replicas;
            }

            public List<String> getUrls() { return urls; }
            public String getName() { return name; }
            public int getShards() { return shards; }
            public int getReplicas() { return replicas; }
        }
    }

    public static final class Limits {
        private final long maxImageBytes;
        private final long maxImagePixels;
        private final int maxQueryImages;
        private final int maxBatchItems;
        private final long maxBatchBytes;
        private final int maxArchiveEntries;
        private final int maxCompressionRatio;
        private final long maxModelBytes;
        private final long maxManifestBytes;

        /**
         * @param maxImagePixels decoded pixels per image: guards against decompression bombs
         * @param maxBatchBytes image bytes one batch may stage (the sum of its files, or its archive
         *     inflated): what one ingestion request holds in memory at most
         * @param maxArchiveEntries entries of a batch archive, directories and skipped files included
         * @param maxCompressionRatio most inflated bytes per compressed byte of a zip entry (batch
         *     archives and model artifacts)
         * @param maxModelBytes bytes a model artifact may inflate to, all its files together
         * @param maxManifestBytes bytes of a batch's manifest; sent as a form field it is held to it
         *     with the request's other form fields by Tomcat (its maxPostSize follows), before it is read
         */
        public Limits(@DefaultValue("8388608") long maxImageBytes, @DefaultValue("4000000") long maxImagePixels,
                @DefaultValue("8") int maxQueryImages, @DefaultValue("10000") int maxBatchItems,
                @DefaultValue("268435456") long maxBatchBytes, @DefaultValue("20000") int maxArchiveEntries,
                @DefaultValue("100") int maxCompressionRatio, @DefaultValue("1073741824") long maxModelBytes,
                @DefaultValue("4194304") long maxManifestBytes) {
            require(maxImageBytes >= 1, "reid.limits.max-image-bytes", "at least 1", maxImageBytes);
            require(maxImagePixels >= 1, "reid.limits.max-image-pixels", "at least 1", maxImagePixels);
            require(maxQueryImages >= 1, "reid.limits.max-query-images", "at least 1", maxQueryImages);
            require(maxBatchItems >= 1, "reid.limits.max-batch-items", "at least 1", maxBatchItems);
            require(maxBatchBytes >= 1, "reid.limits.max-batch-bytes", "at least 1", maxBatchBytes);
            require(maxArchiveEntries >= 1, "reid.limits.max-archive-entries", "at least 1", maxArchiveEntries);
            require(maxCompressionRatio >= 1, "reid.limits.max-compression-ratio", "at least 1", maxCompressionRatio);
            require(maxModelBytes >= 1, "reid.limits.max-model-bytes", "at least 1", maxModelBytes);
            require(maxManifestBytes >= 1 && maxManifestBytes <= Integer.MAX_VALUE - MANIFEST_FIELD_SLACK,
                    "reid.limits.max-manifest-bytes", "1 to " + (Integer.MAX_VALUE - MANIFEST_FIELD_SLACK), maxManifestBytes);
            this.maxImageBytes = maxImageBytes;
            this.maxImagePixels = maxImagePixels;
            this.maxQueryImages = maxQueryImages;
            this.maxBatchItems = maxBatchItems;
            this.maxBatchBytes = maxBatchBytes;
            this.maxArchiveEntries = maxArchiveEntries;
            this.maxCompressionRatio = maxCompressionRatio;
            this.maxModelBytes = maxModelBytes;
            this.maxManifestBytes = maxManifestBytes;
        }

        /** Bytes of form fields beside the manifest (their names and small values) under Tomcat's post limit. */
        public static final int MANIFEST_FIELD_SLACK = 4096;

        public long getMaxImageBytes() { return maxImageBytes; }
        public long getMaxImagePixels() { return maxImagePixels; }
        public int getMaxQueryImages() { return maxQueryImages; }
        public int getMaxBatchItems() { return maxBatchItems; }
        public long getMaxBatchBytes() { return maxBatchBytes; }
        public int getMaxArchiveEntries() { return maxArchiveEntries; }
        public int getMaxCompressionRatio() { return maxCompressionRatio; }
        public long getMaxModelBytes() { return maxModelBytes; }
        public long getMaxManifestBytes() { return maxManifestBytes; }
    }

    public static final class Ingest {
        private final int chunkSize;

        /** @param chunkSize items embedded and committed together (128 ran 20-40% faster than 32 or 64) */
        public Ingest(@DefaultValue("128") int chunkSize) {
            require(chunkSize >= 1, "reid.ingest.chunk-size", "at least 1", chunkSize);
            this.chunkSize = chunkSize;
        }

        public int getChunkSize() { return chunkSize; }
    }

    public static final class Demo {
        private final boolean seed;
        private final int identities;
        private final long seedValue;

        /** @param seed seed a synthetic demo gallery when the gallery is empty (off in the prod profile) */
        public Demo(@DefaultValue("true") boolean seed, @DefaultValue("40") int identities,
                @DefaultValue("7") long seedValue) {
            require(identities >= 2, "reid.demo.identities", "at least 2", identities);
            this.seed = seed;
            this.identities = identities;
            this.seedValue = seedValue;
        }

        public boolean isSeed() { return seed; }
        public int getIdentities() { return identities; }
        public long getSeedValue() { return seedValue; }
    }

    public static final class Retention {
        private final Duration maxAge;
        private final Duration checkEvery;

        /** @param maxAge entries captured longer ago than this are erased; null: keep forever */
        public Retention(Duration maxAge, @DefaultValue("1h") Duration checkEvery) {
            require(maxAge == null || positive(maxAge), "reid.retention.max-age", "positive", maxAge);
            require(positive(checkEvery), "reid.retention.check-every", "positive", checkEvery);
            this.maxAge = maxAge;
            this.checkEvery = checkEvery;
        }

        public Duration getMaxAge() { return maxAge; }
        public Duration getCheckEvery() { return checkEvery; }
    }

    public static final class Security {
        private final List<ConfiguredKey> apiKeys;
        private final boolean generateAdminKey;

        /**
         * @param apiKeys API keys from configuration: name, sha256 of the key (hex), roles
         * @param generateAdminKey generate and print an admin key on first start when no key is configured
         */
        public Security(List<ConfiguredKey> apiKeys, @DefaultValue("true") boolean generateAdminKey) {
            this.apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
            this.generateAdminKey = generateAdminKey;
        }

        public List<ConfiguredKey> getApiKeys() { return apiKeys; }
        public boolean isGenerateAdminKey() { return generateAdminKey; }
    }

    public static final class ConfiguredKey {
        private final String name;
        private final String sha256;
        private final List<String> roles;

        public ConfiguredKey(String name, String sha256, List<String> roles) {
            this.name = name;
            this.sha256 = sha256;
            this.roles = roles == null ? List.of() : List.copyOf(roles);
        }

        public String getName() { return name; }
        public String getSha256() { return sha256; }
        public List<String> getRoles() { return roles; }
    }

    public static final class Sync {
        private final Duration staleAfter;
        private final Duration every;

        /**
         * @param staleAfter a replica whose heartbeat is older than this is gone, and work it claimed
         *     without progress for this long is taken over
         * @param every how often a replica follows the registry's active model and resumes stale work
         */
        public Sync(@DefaultValue("60s") Duration staleAfter, @DefaultValue("5s") Duration every) {
            require(positive(staleAfter), "reid.sync.stale-after", "positive", staleAfter);
            require(positive(every), "reid.sync.every", "positive", every);
            this.staleAfter = staleAfter;
            this.every = every;
        }

        public Duration getStaleAfter() { return staleAfter; }
        public Duration getEvery() { return every; }
    }

    /** The embedded PostgreSQL (when no {@code spring.datasource.url} is set). */
    public static final class EmbeddedPostgres {
        private final int port;
        private final Duration checkEvery;
        private final Duration unrecoverableAfter;

        /**
         * @param port its port; 0: a free port, chosen at start and kept while the service runs
         *     (restarts included)
         * @param checkEvery how often the supervisor checks that the postmaster is alive (and restarts
         *     it when it is not)
         * @param unrecoverableAfter restarts failing for this long make liveness DOWN: only a restart
         *     of the service can help then
         */
        public EmbeddedPostgres(@DefaultValue("0") int port, @DefaultValue("1s") Duration checkEvery,
                @DefaultValue("5m") Duration unrecoverableAfter) {
            require(port >= 0 && port <= 65535, "reid.embedded-postgres.port", "between 0 and 65535", port);
            require(positive(checkEvery), "reid.embedded-postgres.check-every", "positive", checkEvery);
            require(positive(unrecoverableAfter), "reid.embedded-postgres.unrecoverable-after", "positive",
                    unrecoverableAfter);
            this.port = port;
            this.checkEvery = checkEvery;
            this.unrecoverableAfter = unrecoverableAfter;
        }

        public int getPort() { return port; }
        public Duration getCheckEvery() { return checkEvery; }
        public Duration getUnrecoverableAfter() { return unrecoverableAfter; }
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static void require(boolean valid, String key, String expected, Object value) {
        if (!valid) {
            throw new IllegalArgumentException(key + " must be " + expected + ", was " + value);
        }
    }
}

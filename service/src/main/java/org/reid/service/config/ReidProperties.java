package org.reid.service.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Everything under {@code reid.*} in application.properties, with the defaults of a demo run. */
@ConfigurationProperties(prefix = "reid")
public class ReidProperties {
    /** Where the embedded PostgreSQL, the vector indexes and unpacked models live. */
    private Path dataDir = Path.of("data");
    private final Model model = new Model();
    private final Search search = new Search();
    private final Index index = new Index();
    private final Limits limits = new Limits();
    private final Ingest ingest = new Ingest();
    private final Demo demo = new Demo();
    private final Retention retention = new Retention();
    private final Security security = new Security();
    private final Promotion promotion = new Promotion();

    public Path getDataDir() { return dataDir; }
    public void setDataDir(Path dataDir) { this.dataDir = dataDir; }
    public Model getModel() { return model; }
    public Search getSearch() { return search; }
    public Index getIndex() { return index; }
    public Limits getLimits() { return limits; }
    public Ingest getIngest() { return ingest; }
    public Demo getDemo() { return demo; }
    public Retention getRetention() { return retention; }
    public Security getSecurity() { return security; }
    public Promotion getPromotion() { return promotion; }

    public static class Promotion {
        /** Switch to a candidate that beats the active model on the gallery validation split. */
        private boolean auto = false;
        /** mAP the candidate must gain over the active model (fraction, e.g. 0.01 = one point). */
        private double minMapGain = 0.01;
        private int validationIdentities = 200;

        public boolean isAuto() { return auto; }
        public void setAuto(boolean v) { this.auto = v; }
        public double getMinMapGain() { return minMapGain; }
        public void setMinMapGain(double v) { this.minMapGain = v; }
        public int getValidationIdentities() { return validationIdentities; }
        public void setValidationIdentities(int v) { this.validationIdentities = v; }
    }

    public static class Model {
        /**
         * Artifact published and activated when the registry has no active model (a Spring resource
         * location). Empty: start only with a model from the registry.
         */
        private String bootstrap = "classpath:models/reid-demo-small-4.zip";
        /** Predictors kept for concurrent forward passes. */
        private int predictors = 2;

        public String getBootstrap() { return bootstrap; }
        public void setBootstrap(String bootstrap) { this.bootstrap = bootstrap; }
        public int getPredictors() { return predictors; }
        public void setPredictors(int predictors) { this.predictors = predictors; }
    }

    public static class Search {
        /**
         * Cosine similarity under which the best identity is "unknown", when it is not calibrated (or the
         * gallery is too small to calibrate).
         */
        private double unknownThreshold = 0.5;
        /** Calibrate the threshold on the gallery at the equal error rate of genuine and impostor pairs. */
        private boolean calibrateThreshold = true;
        /**
         * The operating point of the calibrated threshold: the share of strangers' queries allowed to
         * match someone (0.01 = 1%), strictly between 0 and 1. Unset: the equal error rate.
         */
        private Double falseMatchRate;
        private int maxTopK = 100;
        /** Entries fetched from the index per requested identity, to group into identities. */
        private int candidatesPerIdentity = 10;
        /** Micro-batching of concurrent searches: the largest forward batch... */
        private int maxBatch = 16;
        /** ...and how long the first request of a batch waits for company. */
        private Duration maxWait = Duration.ofMillis(3);

        public double getUnknownThreshold() { return unknownThreshold; }
        public void setUnknownThreshold(double v) { this.unknownThreshold = v; }
        public boolean isCalibrateThreshold() { return calibrateThreshold; }
        public void setCalibrateThreshold(boolean v) { this.calibrateThreshold = v; }
        public Double getFalseMatchRate() { return falseMatchRate; }
        public void setFalseMatchRate(Double v) { this.falseMatchRate = v; }
        public int getMaxTopK() { return maxTopK; }
        public void setMaxTopK(int v) { this.maxTopK = v; }
        public int getCandidatesPerIdentity() { return candidatesPerIdentity; }
        public void setCandidatesPerIdentity(int v) { this.candidatesPerIdentity = v; }
        public int getMaxBatch() { return maxBatch; }
        public void setMaxBatch(int v) { this.maxBatch = v; }
        public Duration getMaxWait() { return maxWait; }
        public void setMaxWait(Duration v) { this.maxWait = v; }
    }

    public static class Index {
        /** Below this many entries a search is exact; above it HNSW. */
        private int exactThreshold = 20_000;
        /** How the HNSW graph stores vectors: none (floats), int7 or int4 (re-scored with the floats). */
        private String quantization = "int7";
        /** HNSW graph degree (M). */
        private int hnswM = 16;
        /** HNSW candidate list while building (efConstruction). */
        private int hnswEfConstruction = 100;
        /** HNSW candidates gathered per search (at least the entries asked for). */
        private int efSearch = 100;
        /** Background merges build segments up to this size; a purge rewrites whole segments. */
        private double maxSegmentMb = 1024;
        /** An erasure whose segments hold at most this many entries is purged from disk before it returns. */
        private int syncEraseMaxEntries = 20_000;
        /** Larger erasures are purged from disk by a background run this often (0: always at once). */
        private Duration erasureWindow = Duration.ofMinutes(10);

        public int getExactThreshold() { return exactThreshold; }
        public void setExactThreshold(int v) { this.exactThreshold = v; }
        public String getQuantization() { return quantization; }
        public void setQuantization(String v) { this.quantization = v; }
        public int getHnswM() { return hnswM; }
        public void setHnswM(int v) { this.hnswM = v; }
        public int getHnswEfConstruction() { return hnswEfConstruction; }
        public void setHnswEfConstruction(int v) { this.hnswEfConstruction = v; }
        public int getEfSearch() { return efSearch; }
        public void setEfSearch(int v) { this.efSearch = v; }
        public double getMaxSegmentMb() { return maxSegmentMb; }
        public void setMaxSegmentMb(double v) { this.maxSegmentMb = v; }
        public int getSyncEraseMaxEntries() { return syncEraseMaxEntries; }
        public void setSyncEraseMaxEntries(int v) { this.syncEraseMaxEntries = v; }
        public Duration getErasureWindow() { return erasureWindow; }
        public void setErasureWindow(Duration v) { this.erasureWindow = v; }
    }

    public static class Limits {
        private long maxImageBytes = 8L * 1024 * 1024;
        /** Decoded pixels per image: guards against decompression bombs. */
        private long maxImagePixels = 4_000_000;
        private int maxQueryImages = 8;
        private int maxBatchItems = 10_000;

        public long getMaxImageBytes() { return maxImageBytes; }
        public void setMaxImageBytes(long v) { this.maxImageBytes = v; }
        public long getMaxImagePixels() { return maxImagePixels; }
        public void setMaxImagePixels(long v) { this.maxImagePixels = v; }
        public int getMaxQueryImages() { return maxQueryImages; }
        public void setMaxQueryImages(int v) { this.maxQueryImages = v; }
        public int getMaxBatchItems() { return maxBatchItems; }
        public void setMaxBatchItems(int v) { this.maxBatchItems = v; }
    }

    public static class Ingest {
        /** Items embedded and committed together (128 ran 20-40% faster than 32 or 64). */
        private int chunkSize = 128;

        public int getChunkSize() { return chunkSize; }
        public void setChunkSize(int v) { this.chunkSize = v; }
    }

    public static class Demo {
        /** Seed a synthetic demo gallery when the gallery is empty (off in the prod profile). */
        private boolean seed = true;
        private int identities = 40;
        private long seedValue = 7;

        public boolean isSeed() { return seed; }
        public void setSeed(boolean v) { this.seed = v; }
        public int getIdentities() { return identities; }
        public void setIdentities(int v) { this.identities = v; }
        public long getSeedValue() { return seedValue; }
        public void setSeedValue(long v) { this.seedValue = v; }
    }

    public static class Retention {
        /** Entries captured longer ago than this are erased; null: keep forever. */
        private Duration maxAge;
        private Duration checkEvery = Duration.ofHours(1);

        public Duration getMaxAge() { return maxAge; }
        public void setMaxAge(Duration v) { this.maxAge = v; }
        public Duration getCheckEvery() { return checkEvery; }
        public void setCheckEvery(Duration v) { this.checkEvery = v; }
    }

    public static class Security {
        /** API keys from configuration: name, sha256 of the key (hex), roles. */
        private List<ConfiguredKey> apiKeys = new ArrayList<>();
        /** Generate and print an admin key on first start when no key is configured. */
        private boolean generateAdminKey = true;

        public List<ConfiguredKey> getApiKeys() { return apiKeys; }
        public void setApiKeys(List<ConfiguredKey> v) { this.apiKeys = v; }
        public boolean isGenerateAdminKey() { return generateAdminKey; }
        public void setGenerateAdminKey(boolean v) { this.generateAdminKey = v; }
    }

    public static class ConfiguredKey {
        private String name;
        private String sha256;
        private List<String> roles = new ArrayList<>();

        public String getName() { return name; }
        public void setName(String v) { this.name = v; }
        public String getSha256() { return sha256; }
        public void setSha256(String v) { this.sha256 = v; }
        public List<String> getRoles() { return roles; }
        public void setRoles(List<String> v) { this.roles = v; }
    }
}

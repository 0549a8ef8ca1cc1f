package org.reid.index.solr;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.util.ContentStreamBase;

/**
 * The gallery on SolrCloud: one collection per model version ({@code <name>-model-<id>}) and an
 * alias {@code <name>} that names the active version's collection. A model switch re-embeds into
 * the new version's collection while the old one answers, then {@link #activate swaps the alias}
 * (atomically, in ZooKeeper); the old collection is {@link #drop dropped} when nothing serves it.
 *
 * <p>Creates what it needs: a configset per vector dimension and HNSW setting (uploaded from this
 * jar's {@code configset/}) and the collections, with the configured shards and replicas. Owns the
 * {@link CloudSolrClient}; the indexes it opens share it.
 */
public final class SolrGallery implements Closeable {

    private static final String CONFIGSET = "/org/reid/index/solr/configset/";

    private static final Logger log = Logger.getLogger(SolrGallery.class.getName());

    private final CloudSolrClient client;
    private final SolrGallerySettings settings;
    private final boolean ownsClient;
    /** The indexes opened here, by collection: the purger visits them. */
    private final Map<String, SolrVectorIndex> indexes = new ConcurrentHashMap<>();
    /** Purges this replica's erasures every erasure window; null when the window is zero (always at once). */
    private final ScheduledExecutorService purger;

    /** A gallery reached through these Solr node URLs (e.g. {@code http://solr-0.solr:8983/solr}). */
    public static SolrGallery connect(List<String> solrUrls, SolrGallerySettings settings) {
        return new SolrGallery(new CloudHttp2SolrClient.Builder(solrUrls).build(), settings, true);
    }

    /** A gallery on a client the caller keeps (and closes). */
    public static SolrGallery on(CloudSolrClient client, SolrGallerySettings settings) {
        return new SolrGallery(client, settings, false);
    }

    private SolrGallery(CloudSolrClient client, SolrGallerySettings settings, boolean ownsClient) {
        this.client = client;
        this.settings = settings;
        this.ownsClient = ownsClient;
        if (settings.erasureWindow().isZero()) {
            this.purger = null;
        } else {
            this.purger = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "solr-gallery-purge-" + settings.name());
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(1, settings.erasureWindow().toMillis());
            purger.scheduleWithFixedDelay(this::purgeInBackground, period, period, TimeUnit.MILLISECONDS);
        }
    }

    public SolrGallerySettings settings() {
        return settings;
    }

    /** The collection holding a model version's gallery. */
    public String collection(long modelVersionId) {
        return settings.name() + "-model-" + modelVersionId;
    }

    /**
     * The index of a model version, creating its collection when absent. Throws
     * {@link IllegalArgumentException} when the collection exists for another dimension.
     */
    public SolrVectorIndex open(long modelVersionId, int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive, was " + dimension);
        }
        String collection = collection(modelVersionId);
        String configSet = configSet(dimension);
        try {
            Optional<DocCollection> existing = existing(collection);
            if (existing.isPresent()) {
                String config = existing.get().getConfigName();
                if (!sameVectors(config, vectorConfig(dimension))) {
                    throw new IllegalArgumentException("Solr collection " + collection + " uses configset " + config
                            + ", not " + configSet + " (another dimension or HNSW setting?)");
                }
            } else {
                ensureConfigSet(configSet, dimension);
                CollectionAdminRequest.createCollection(collection, configSet, settings.shards(), settings.replicas())
                        .process(client);
            }
        } catch (SolrServerException | IOException e) {
            throw failure("cannot open Solr collection " + collection, e);
        }
        return indexes.computeIfAbsent(collection, c -> new SolrVectorIndex(client, c, dimension, settings));
    }

    /** Points the alias at a model version's collection: every reader of the alias now sees that version. */
    public void activate(long modelVersionId) {
        try {
            CollectionAdminRequest.createAlias(settings.name(), collection(modelVersionId)).process(client);
        } catch (SolrServerException | IOException e) {
            throw failure("cannot point alias " + settings.name() + " at model " + modelVersionId, e);
        }
    }

    /** The collection the alias names (the active model version's), if it names one. */
    public Optional<String> activeCollection() {
        try {
            var aliases = new CollectionAdminRequest.ListAliases().process(client).getAliases();
            return Optional.ofNullable(aliases.get(settings.name()));
        } catch (SolrServerException | IOException e) {
            throw failure("cannot read alias " + settings.name(), e);
        }
    }

    /** The model versions this gallery has a collection for ({@code <name>-model-<id>}), in id order. */
    public java.util.List<Long> modelVersions() {
        String prefix = settings.name() + "-model-";
        try {
            return CollectionAdminRequest.listCollections(client).stream().filter(c -> c.startsWith(prefix))
                    .map(c -> c.substring(prefix.length())).filter(id -> id.matches("\\d{1,18}"))
                    .map(Long::valueOf).sorted().toList();
        } catch (SolrServerException | IOException e) {
            throw failure("cannot list the collections of " + settings.name(), e);
        }
    }

    /** Deletes a model version's collection (a version retired from serving). */
    public void drop(long modelVersionId) {
        String collection = collection(modelVersionId);
        try {
            if (existing(collection).isPresent()) {
                CollectionAdminRequest.deleteCollection(collection).process(client);
            }
            indexes.remove(collection);
        } catch (SolrServerException | IOException e) {
            throw failure("cannot delete Solr collection " + collection, e);
        }
    }

    private Optional<DocCollection> existing(String collection) throws IOException {
        client.getClusterStateProvider().connect();
        var state = client.getClusterStateProvider().getClusterState();
        return Optional.ofNullable(state.getCollectionOrNull(collection));
    }

    /** One configset per vector field (dimension, HNSW) and segment size. */
    private String configSet(int dimension) {
        return vectorConfig(dimension) + "-s" + segmentMb();
    }

    /** What a collection's vectors must share to be reopened (its segment size may differ). */
    private String vectorConfig(int dimension) {
        return settings.name() + "-d" + dimension + "-m" + settings.hnswMaxConn() + "-b" + settings.hnswBeamWidth();
    }

    private static boolean sameVectors(String config, String vectorConfig) {
        return config != null && (config.equals(vectorConfig) || config.startsWith(vectorConfig + "-s"));
    }

    private String segmentMb() {
        return Long.toString(Math.round(settings.maxSegmentMb()));
    }

    private void ensureConfigSet(String name, int dimension) throws SolrServerException, IOException {
        if (new ConfigSetAdminRequest.List().process(client).getConfigSets().contains(name)) {
            return;
        }
        byte[] zip = configSetZip(dimension);
        ContentStreamBase.ByteArrayStream stream = new ContentStreamBase.ByteArrayStream(zip, name + ".zip", "application/zip");
        new ConfigSetAdminRequest.Upload().setConfigSetName(name).setUploadStream(stream).process(client);
    }

    /** solrconfig.xml and schema.xml from this jar, the schema's dimension and HNSW parameters filled in. */
    private byte[] configSetZip(int dimension) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("solrconfig.xml"));
            String config = resource("solrconfig.xml").replace("@MAX_SEGMENT_MB@", segmentMb());
            zip.write(config.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            String schema = resource("schema.xml")
                    .replace("@DIMENSION@", Integer.toString(dimension))
                    .replace("@HNSW_M@", Integer.toString(settings.hnswMaxConn()))
                    .replace("@HNSW_BEAM@", Integer.toString(settings.hnswBeamWidth()));
            zip.putNextEntry(new ZipEntry("schema.xml"));
            zip.write(schema.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SolrGallery.class.getResourceAsStream(CONFIGSET + name)) {
            if (in == null) {
                throw new IOException("missing resource " + CONFIGSET + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static UncheckedIOException failure(String message, Exception e) {
        return new UncheckedIOException(message + ": " + e.getMessage(),
                e instanceof IOException io ? io : new IOException(e.getMessage(), e));
    }

    /** One pass of the background purge over the indexes opened here; a failure waits for the next pass. */
    private void purgeInBackground() {
        for (SolrVectorIndex index : indexes.values()) {
            try {
                if (index.purgeDeleted()) {
                    log.info(() -> "Solr collection " + index.collection() + ": purged erased entries from the files");
                }
            } catch (RuntimeException e) {
                log.log(Level.WARNING, "Solr collection " + index.collection() + ": purge of erased entries failed", e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (purger != null) {
            purger.shutdownNow();
        }
        if (ownsClient) {
            client.close();
        }
    }
}

package org.reid.index.solr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.core.SolrCore;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real SolrCloud cluster in this JVM: ZooKeeper and {@code nodes} Solr nodes (Jetty), each with
 * its own data directory, as the CI machine has no Docker engine; and a {@link SolrGallery} on it
 * whose collections have 2 shards x 2 replicas. A JUnit extension: started once before a test
 * class and shut down after it, {@code @RegisterExtension static final SolrTestCluster solr = new
 * SolrTestCluster(2, "gallery");}.
 */
final class SolrTestCluster implements BeforeAllCallback, AfterAllCallback {
    private final int nodes;
    private final String galleryName;
    MiniSolrCloudCluster cluster;
    SolrGallery gallery;

    SolrTestCluster(int nodes, String galleryName) {
        this.nodes = nodes;
        this.galleryName = galleryName;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster = new MiniSolrCloudCluster(nodes, Files.createTempDirectory("reid-solr"), JettyConfig.builder().build());
        gallery = SolrGallery.connect(urls(), SolrGallerySettings.defaults(galleryName).withShards(2).withReplicas(2));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (gallery != null) {
            gallery.close();
        }
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    List<String> urls() {
        return cluster.getJettySolrRunners().stream().map(j -> j.getBaseUrl().toString()).toList();
    }

    /** The cores (shard replicas) of a collection on the running nodes. */
    List<SolrCore> cores(String collection) {
        List<SolrCore> cores = new ArrayList<>();
        for (JettySolrRunner jetty : cluster.getJettySolrRunners()) {
            if (jetty.isRunning()) {
                for (SolrCore core : jetty.getCoreContainer().getCores()) {
                    if (collection.equals(core.getCoreDescriptor().getCollectionName())) {
                        cores.add(core);
                    }
                }
            }
        }
        return cores;
    }

    /** Every regular file under a core's data directory: index segments and transaction logs. */
    static List<Path> dataFiles(SolrCore core) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of(core.getDataDir()))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}

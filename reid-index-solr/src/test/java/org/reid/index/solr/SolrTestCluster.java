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

/**
 * A real SolrCloud cluster in this JVM: ZooKeeper and {@code nodes} Solr nodes (Jetty), each with
 * its own data directory, as the CI machine has no Docker engine.
 */
final class SolrTestCluster implements AutoCloseable {
    final MiniSolrCloudCluster cluster;
    final Path dir;

    SolrTestCluster(int nodes) throws Exception {
        dir = Files.createTempDirectory("reid-solr");
        cluster = new MiniSolrCloudCluster(nodes, dir, JettyConfig.builder().build());
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

    @Override
    public void close() throws Exception {
        cluster.shutdown();
    }
}

package org.reid.index.solr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reid.index.ClusteredVectors;
import org.reid.index.IndexHit;
import org.reid.index.SearchFilter;

/**
 * A Solr node stops while searches run: a cluster of three nodes, a collection of 2 shards x 2
 * replicas, so every shard keeps a copy on another node and the answers go on unchanged.
 */
class SolrNodeFailureTest {
    private static final int DIM = 32;

    @RegisterExtension
    static final SolrTestCluster solr = new SolrTestCluster(3, "failover");

    @Test
    void searchesGoOnWithTheSameAnswersFromTheReplicasWhenANodeStops() throws Exception {
        ClusteredVectors data = new ClusteredVectors(DIM, 40, 3, 21).withQueries(20);
        SolrVectorIndex index = solr.gallery.open(1, DIM);
        index.add(data.gallery);
        index.commit();
        List<List<Long>> expected = new ArrayList<>();
        for (float[] q : data.queries) {
            expected.add(ids(index.search(q, 10, SearchFilter.NONE)));
        }
        JettySolrRunner victim = busiestNode(index.collection());

        AtomicBoolean stopped = new AtomicBoolean();
        AtomicInteger afterStop = new AtomicInteger();
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch enoughAfterStop = new CountDownLatch(1);
        Thread searcher = new Thread(() -> {
            for (int i = 0; enoughAfterStop.getCount() > 0; i++) {
                int q = i % data.queries.size();
                try {
                    List<Long> got = ids(index.search(data.queries.get(q), 10, SearchFilter.NONE));
                    if (!got.equals(expected.get(q))) {
                        wrong.add("query " + q + ": " + got + " instead of " + expected.get(q));
                    }
                } catch (RuntimeException e) {
                    wrong.add("query " + q + ": " + e);
                }
                if (stopped.get() && afterStop.incrementAndGet() >= 2 * data.queries.size()) {
                    enoughAfterStop.countDown();
                }
            }
        }, "searcher");
        searcher.start();
        solr.cluster.stopJettySolrRunner(victim);
        stopped.set(true);
        searcher.join(60_000);

        assertTrue(!searcher.isAlive(), "searches after the stop did not finish");
        assertEquals(List.of(), wrong, "every search answers, and as before the node stopped");
        assertTrue(afterStop.get() >= 2 * data.queries.size());
        assertEquals(data.gallery.size(), index.size(), "the whole gallery still answers");
    }

    /** The node holding the most replicas of the collection (each shard has a copy elsewhere). */
    private static JettySolrRunner busiestNode(String collection) throws Exception {
        DocCollection state = solr.cluster.getSolrClient().getClusterState().getCollection(collection);
        Map<String, Long> perNode = state.getReplicas().stream()
                .collect(Collectors.groupingBy(Replica::getNodeName, Collectors.counting()));
        for (var slice : state.getSlices()) {
            assertEquals(2, slice.getReplicas().stream().map(Replica::getNodeName).distinct().count(),
                    "the copies of " + slice.getName() + " are on two nodes");
        }
        String node = perNode.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Map<String, JettySolrRunner> byNode = solr.cluster.getJettySolrRunners().stream()
                .collect(Collectors.toMap(JettySolrRunner::getNodeName, Function.identity()));
        return byNode.get(node);
    }

    private static List<Long> ids(List<IndexHit> hits) {
        return hits.stream().sorted(Comparator.comparingDouble(IndexHit::score).reversed()
                .thenComparingLong(IndexHit::entryId)).map(IndexHit::entryId).toList();
    }
}

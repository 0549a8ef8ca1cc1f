package org.reid.index.solr;

/**
 * How the gallery lives on SolrCloud.
 *
 * @param name          the alias that names the active model version's collection; each version's
 *                      collection is {@code <name>-model-<id>}
 * @param shards        shards per collection (each holds a part of the gallery and is searched in parallel)
 * @param replicas      copies of each shard (2 or more: a node can stop and searches go on)
 * @param hnswMaxConn   HNSW graph degree (M)
 * @param hnswBeamWidth HNSW candidate list size while building (efConstruction)
 * @param efSearch      HNSW candidates each shard gathers per search; at least {@code k} are always used
 */
public record SolrGallerySettings(String name, int shards, int replicas, int hnswMaxConn, int hnswBeamWidth,
                                  int efSearch) {

    /** Two shards of two copies, HNSW as the embedded index: M=16, efConstruction=100, efSearch=100. */
    public static SolrGallerySettings defaults(String name) {
        return new SolrGallerySettings(name, 2, 2, 16, 100, 100);
    }

    public SolrGallerySettings {
        if (name == null || !name.matches("[a-z0-9][a-z0-9_-]{0,40}")) {
            throw new IllegalArgumentException("gallery name must be 1-41 of [a-z0-9_-], was " + name);
        }
        if (shards < 1 || replicas < 1 || hnswMaxConn < 2 || hnswBeamWidth < 2 || efSearch < 1) {
            throw new IllegalArgumentException("invalid Solr gallery settings: shards=" + shards + " replicas="
                    + replicas + " M=" + hnswMaxConn + " beamWidth=" + hnswBeamWidth + " efSearch=" + efSearch);
        }
    }

    public SolrGallerySettings withShards(int n) {
        return new SolrGallerySettings(name, n, replicas, hnswMaxConn, hnswBeamWidth, efSearch);
    }

    public SolrGallerySettings withReplicas(int n) {
        return new SolrGallerySettings(name, shards, n, hnswMaxConn, hnswBeamWidth, efSearch);
    }

    public SolrGallerySettings withEfSearch(int ef) {
        return new SolrGallerySettings(name, shards, replicas, hnswMaxConn, hnswBeamWidth, ef);
    }
}

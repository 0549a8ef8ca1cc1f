package org.reid.index;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.hnsw.FlatVectorsReader;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues;
import org.apache.lucene.util.quantization.QuantizedVectorsReader;
import org.apache.lucene.util.quantization.ScalarQuantizer;

/**
 * A segment written without a graph ({@link GraphThresholdVectorsWriter}): a kNN search scores
 * every vector the search accepts with the same scorer a graph search uses (the quantised one for
 * int7), so Lucene's kNN query gets the same kind of candidates from it as from a graph segment, only
 * exact. Everything else is the flat reader's. Quantised readers stay visible as such, so that a
 * merge reuses their quantiles as it would a graph segment's.
 */
final class ExactSearchVectorsReader extends KnnVectorsReader implements QuantizedVectorsReader {
    private final FlatVectorsReader flat;

    ExactSearchVectorsReader(FlatVectorsReader flat) {
        this.flat = flat;
    }

    @Override
    public void search(String field, float[] target, KnnCollector collector, Bits acceptDocs) throws IOException {
        scan(flat.getRandomVectorScorer(field, target), collector, acceptDocs);
    }

    @Override
    public void search(String field, byte[] target, KnnCollector collector, Bits acceptDocs) throws IOException {
        scan(flat.getRandomVectorScorer(field, target), collector, acceptDocs);
    }

    /**
     * Visits only the vectors the search accepts, so a filtered search's visit limit (the filter's
     * own count in this segment) is never reached and Lucene does not scan the segment again.
     */
    private static void scan(RandomVectorScorer scorer, KnnCollector collector, Bits acceptDocs) throws IOException {
        if (scorer == null) {
            return;
        }
        Bits accepted = scorer.getAcceptOrds(acceptDocs);
        for (int ord = 0, n = scorer.maxOrd(); ord < n && !collector.earlyTerminated(); ord++) {
            if (accepted == null || accepted.get(ord)) {
                collector.incVisitedCount(1);
                collector.collect(scorer.ordToDoc(ord), scorer.score(ord));
            }
        }
    }

    @Override
    public void checkIntegrity() throws IOException {
        flat.checkIntegrity();
    }

    @Override
    public FloatVectorValues getFloatVectorValues(String field) throws IOException {
        return flat.getFloatVectorValues(field);
    }

    @Override
    public ByteVectorValues getByteVectorValues(String field) throws IOException {
        return flat.getByteVectorValues(field);
    }

    @Override
    public QuantizedByteVectorValues getQuantizedVectorValues(String field) throws IOException {
        return flat instanceof QuantizedVectorsReader q ? q.getQuantizedVectorValues(field) : null;
    }

    @Override
    public ScalarQuantizer getQuantizationState(String field) {
        return flat instanceof QuantizedVectorsReader q ? q.getQuantizationState(field) : null;
    }

    @Override
    public long ramBytesUsed() {
        return flat.ramBytesUsed();
    }

    @Override
    public void close() throws IOException {
        flat.close();
    }
}

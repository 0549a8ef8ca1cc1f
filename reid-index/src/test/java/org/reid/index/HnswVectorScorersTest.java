package org.reid.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.codecs.lucene99.Lucene99ScalarQuantizedVectorScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.store.ByteBuffersIndexInput;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.quantization.RandomAccessQuantizedByteVectorValues;
import org.apache.lucene.util.quantization.ScalarQuantizer;
import org.junit.jupiter.api.Test;

/** Our HNSW scorers give Lucene's own scores: the graphs and answers must not change with the kernel. */
class HnswVectorScorersTest {

    private static final int DIM = 100; // not a multiple of a SIMD width: the tails are scored too
    private static final int N = 50;

    private static List<float[]> unitVectors(long seed) {
        Random random = new Random(seed);
        List<float[]> vectors = new ArrayList<>();
        for (int n = 0; n < N; n++) {
            float[] v = new float[DIM];
            for (int i = 0; i < DIM; i++) {
                v[i] = (float) random.nextGaussian();
            }
            vectors.add(UnitVectors.unit(v, DIM, "test vector"));
        }
        return vectors;
    }

    @Test
    void floatScoresAreLucenesDotProductScores() throws IOException {
        List<float[]> vectors = unitVectors(1);
        RandomAccessVectorValues.Floats values = RandomAccessVectorValues.fromFloats(vectors, DIM);
        FlatVectorsScorer lucene = DefaultFlatVectorScorer.INSTANCE;
        float[] query = unitVectors(2).get(0);
        RandomVectorScorer ours = HnswVectorScorers.FLOAT.getRandomVectorScorer(VectorSimilarityFunction.DOT_PRODUCT, values, query);
        RandomVectorScorer theirs = lucene.getRandomVectorScorer(VectorSimilarityFunction.DOT_PRODUCT, values, query);
        RandomVectorScorer ourGraphScorer = HnswVectorScorers.FLOAT
                .getRandomVectorScorerSupplier(VectorSimilarityFunction.DOT_PRODUCT, values).scorer(7);
        RandomVectorScorer theirGraphScorer = lucene.getRandomVectorScorerSupplier(VectorSimilarityFunction.DOT_PRODUCT, values).scorer(7);
        for (int node = 0; node < N; node++) {
            // float sums in another order: equal to rounding
            assertEquals(theirs.score(node), ours.score(node), 1e-6f, "query against node " + node);
            assertEquals(theirGraphScorer.score(node), ourGraphScorer.score(node), 1e-6f, "node 7 against node " + node);
        }
        assertEquals(1f, ourGraphScorer.score(7), 1e-6f, "a unit vector against itself");
    }

    @Test
    void int7ScoresAreLucenesQuantisedScoresExactly() throws IOException {
        List<float[]> vectors = unitVectors(3);
        ScalarQuantizer quantizer = new ScalarQuantizer(-0.3f, 0.3f, (byte) 7);
        FlatVectorsScorer lucene = new Lucene99ScalarQuantizedVectorScorer(DefaultFlatVectorScorer.INSTANCE);
        // in memory, and in a file laid out as Lucene99 stores them (our scorer then reads the file itself)
        for (Quantized values : List.of(Quantized.of(vectors, quantizer, false), Quantized.of(vectors, quantizer, true)))
        for (VectorSimilarityFunction similarity : List.of(VectorSimilarityFunction.DOT_PRODUCT, VectorSimilarityFunction.EUCLIDEAN)) {
            float[] query = unitVectors(4).get(1);
            RandomVectorScorer ours = HnswVectorScorers.INT7.getRandomVectorScorer(similarity, values, query);
            RandomVectorScorer theirs = lucene.getRandomVectorScorer(similarity, values, query);
            RandomVectorScorer ourGraphScorer = HnswVectorScorers.INT7.getRandomVectorScorerSupplier(similarity, values).scorer(3);
            RandomVectorScorer theirGraphScorer = lucene.getRandomVectorScorerSupplier(similarity, values).scorer(3);
            float spread = 0;
            for (int node = 0; node < N; node++) {
                // an integer product and Lucene's corrections in Lucene's order: the same float, bit for bit
                assertEquals(theirs.score(node), ours.score(node), 0f, similarity + ": query against node " + node);
                assertEquals(theirGraphScorer.score(node), ourGraphScorer.score(node), 0f, similarity + ": node 3 against node " + node);
                spread = Math.max(spread, Math.abs(ours.score(node) - ours.score(0)));
            }
            assertTrue(spread > 0.05f, "the scores must differ between nodes for the comparison to mean anything");
        }
    }

    /**
     * Int7 vectors: the quantised bytes and one corrective offset each, and optionally the file
     * Lucene99 writes for them (each vector's bytes, then its offset as a little-endian float).
     */
    private record Quantized(List<byte[]> bytes, float[] offsets, ScalarQuantizer quantizer, IndexInput file)
            implements RandomAccessQuantizedByteVectorValues {
        static Quantized of(List<float[]> vectors, ScalarQuantizer quantizer, boolean inAFile) throws IOException {
            List<byte[]> bytes = new ArrayList<>();
            float[] offsets = new float[vectors.size()];
            ByteBuffersDataOutput out = new ByteBuffersDataOutput();
            for (int i = 0; i < vectors.size(); i++) {
                byte[] b = new byte[DIM];
                offsets[i] = quantizer.quantize(vectors.get(i), b, VectorSimilarityFunction.DOT_PRODUCT);
                bytes.add(b);
                out.writeBytes(b, b.length);
                out.writeInt(Float.floatToIntBits(offsets[i]));
            }
            IndexInput file = inAFile ? new ByteBuffersIndexInput(out.toDataInput(), "vectors") : null;
            return new Quantized(bytes, offsets, quantizer, file);
        }

        @Override
        public IndexInput getSlice() {
            return file;
        }

        @Override
        public int getVectorByteLength() {
            return DIM;
        }

        @Override
        public ScalarQuantizer getScalarQuantizer() {
            return quantizer;
        }

        @Override
        public float getScoreCorrectionConstant(int ord) {
            return offsets[ord];
        }

        @Override
        public byte[] vectorValue(int ord) {
            return bytes.get(ord);
        }

        @Override
        public Quantized copy() {
            return new Quantized(bytes, offsets, quantizer, file == null ? null : file.clone());
        }

        @Override
        public int size() {
            return bytes.size();
        }

        @Override
        public int dimension() {
            return DIM;
        }
    }
}

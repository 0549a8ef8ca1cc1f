package org.reid.index;

import java.io.IOException;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.codecs.hnsw.ScalarQuantizedVectorScorer;
import org.apache.lucene.codecs.lucene99.Lucene99ScalarQuantizedVectorScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.quantization.RandomAccessQuantizedByteVectorValues;
import org.apache.lucene.util.quantization.ScalarQuantizer;

/**
 * The scorers Lucene's HNSW calls for every distance while it builds, merges and searches a graph,
 * computed with {@link DotProducts#best()}. Lucene 9.12 vectorises its own only on Java 20-22; on
 * the Java 17 this project runs, its scalar loops cost about 220 ns per 256-d int7 product where
 * the SIMD kernel takes about 40, and graph building is mostly such products.
 *
 * <p>Only the gallery's case is taken over: dot-product similarity, float vectors and 7-bit
 * quantised ones. The scores are Lucene's own formulas ({@code VectorSimilarityFunction.DOT_PRODUCT}
 * and {@code Lucene99ScalarQuantizedVectorScorer}'s corrected int7 product); anything else goes to
 * Lucene's scorers.
 */
final class HnswVectorScorers {

    /** Float vectors under dot product; the rest to Lucene's default scorer. */
    static final FlatVectorsScorer FLOAT = new FloatDotProductScorer(DotProducts.best());

    /** 7-bit quantised vectors under dot product; the rest to Lucene's quantised scorer (int4 included). */
    static final FlatVectorsScorer INT7 = new Int7DotProductScorer(DotProducts.best(), FLOAT);

    private HnswVectorScorers() {
    }

    /** Lucene's {@code DOT_PRODUCT} score of a unit-vector dot product. */
    static float unitScore(float dot) {
        return Math.max((1 + dot) / 2, 0);
    }

    static final class FloatDotProductScorer implements FlatVectorsScorer {
        private final DotProducts dots;

        FloatDotProductScorer(DotProducts dots) {
            this.dots = dots;
        }

        @Override
        public RandomVectorScorerSupplier getRandomVectorScorerSupplier(VectorSimilarityFunction similarity,
                                                                        RandomAccessVectorValues values) throws IOException {
            if (similarity == VectorSimilarityFunction.DOT_PRODUCT && values instanceof RandomAccessVectorValues.Floats floats) {
                return new FloatSupplier(floats, dots);
            }
            return DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(similarity, values);
        }

        @Override
        public RandomVectorScorer getRandomVectorScorer(VectorSimilarityFunction similarity, RandomAccessVectorValues values,
                                                        float[] target) throws IOException {
            if (similarity == VectorSimilarityFunction.DOT_PRODUCT && values instanceof RandomAccessVectorValues.Floats floats) {
                return scorer(floats, target, dots);
            }
            return DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(similarity, values, target);
        }

        @Override
        public RandomVectorScorer getRandomVectorScorer(VectorSimilarityFunction similarity, RandomAccessVectorValues values,
                                                        byte[] target) throws IOException {
            return DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(similarity, values, target);
        }

        private static RandomVectorScorer scorer(RandomAccessVectorValues.Floats values, float[] target, DotProducts dots) {
            int dim = target.length;
            return new RandomVectorScorer.AbstractRandomVectorScorer(values) {
                @Override
                public float score(int node) throws IOException {
                    return unitScore(dots.dot(target, values.vectorValue(node), 0, dim));
                }
            };
        }

        @Override
        public String toString() {
            return "FloatDotProductScorer(" + dots.name() + ")";
        }

        /** Scores one stored vector against the others (graph building): the target is copied, the others read from a copy. */
        private record FloatSupplier(RandomAccessVectorValues.Floats values, DotProducts dots) implements RandomVectorScorerSupplier {
            @Override
            public RandomVectorScorer scorer(int ord) throws IOException {
                RandomAccessVectorValues.Floats others = values.copy();
                return FloatDotProductScorer.scorer(others, values.vectorValue(ord).clone(), dots);
            }

            @Override
            public RandomVectorScorerSupplier copy() throws IOException {
                return new FloatSupplier(values.copy(), dots);
            }
        }
    }

    static final class Int7DotProductScorer implements FlatVectorsScorer {
        private final DotProducts dots;
        private final FlatVectorsScorer lucene;

        Int7DotProductScorer(DotProducts dots, FlatVectorsScorer floats) {
            this.dots = dots;
            this.lucene = new Lucene99ScalarQuantizedVectorScorer(floats);
        }

        private static RandomAccessQuantizedByteVectorValues int7(VectorSimilarityFunction similarity,
                                                                   RandomAccessVectorValues values) {
            if ((similarity == VectorSimilarityFunction.DOT_PRODUCT || similarity == VectorSimilarityFunction.COSINE)
                    && values instanceof RandomAccessQuantizedByteVectorValues quantized
                    && quantized.getScalarQuantizer().getBits() == 7) {
                return quantized;
            }
            return null;
        }

        @Override
        public RandomVectorScorerSupplier getRandomVectorScorerSupplier(VectorSimilarityFunction similarity,
                                                                        RandomAccessVectorValues values) throws IOException {
            RandomAccessQuantizedByteVectorValues quantized = int7(similarity, values);
            // flushes of new documents build their graph on the float vectors: that path is FLOAT's
            return quantized == null ? lucene.getRandomVectorScorerSupplier(similarity, values)
                    : new Int7Supplier(quantized, dots);
        }

        @Override
        public RandomVectorScorer getRandomVectorScorer(VectorSimilarityFunction similarity, RandomAccessVectorValues values,
                                                        float[] target) throws IOException {
            RandomAccessQuantizedByteVectorValues quantized = int7(similarity, values);
            if (quantized == null) {
                return lucene.getRandomVectorScorer(similarity, values, target);
            }
            ScalarQuantizer quantizer = quantized.getScalarQuantizer();
            byte[] query = new byte[target.length];
            float queryOffset = ScalarQuantizedVectorScorer.quantizeQuery(target, query, similarity, quantizer);
            return scorer(quantized, query, queryOffset, quantizer.getConstantMultiplier(), dots);
        }

        @Override
        public RandomVectorScorer getRandomVectorScorer(VectorSimilarityFunction similarity, RandomAccessVectorValues values,
                                                        byte[] target) throws IOException {
            return lucene.getRandomVectorScorer(similarity, values, target);
        }

        /** Lucene's corrected int7 score: (1 + dot x multiplier + both offsets) / 2, in its order of operations. */
        private static float int7Score(int dot, float multiplier, float queryOffset, float storedOffset) {
            float corrected = dot * multiplier + queryOffset + storedOffset;
            return (1 + corrected) / 2;
        }

        private static RandomVectorScorer scorer(RandomAccessQuantizedByteVectorValues values, byte[] query, float queryOffset,
                                                 float multiplier, DotProducts dots) {
            IndexInput slice = values.getSlice();
            if (slice != null) {
                // The stored layout (Lucene99): each vector's bytes, then its offset as a little-endian
                // float. Read straight from the file: vectorValue() reads the offset with readFloats,
                // which duplicates a ByteBuffer per call (7% of a merge's time in a profile).
                int length = values.getVectorByteLength();
                long stride = length + (long) Float.BYTES;
                byte[] stored = new byte[length];
                return new RandomVectorScorer.AbstractRandomVectorScorer(values) {
                    @Override
                    public float score(int node) throws IOException {
                        slice.seek(node * stride);
                        slice.readBytes(stored, 0, length);
                        return int7Score(dots.dot(stored, query), multiplier, queryOffset, Float.intBitsToFloat(slice.readInt()));
                    }
                };
            }
            return new RandomVectorScorer.AbstractRandomVectorScorer(values) {
                @Override
                public float score(int node) throws IOException {
                    byte[] stored = values.vectorValue(node);
                    return int7Score(dots.dot(stored, query), multiplier, queryOffset, values.getScoreCorrectionConstant(node));
                }
            };
        }

        @Override
        public String toString() {
            return "Int7DotProductScorer(" + dots.name() + ", otherwise " + lucene + ")";
        }

        private record Int7Supplier(RandomAccessQuantizedByteVectorValues values, DotProducts dots)
                implements RandomVectorScorerSupplier {
            @Override
            public RandomVectorScorer scorer(int ord) throws IOException {
                RandomAccessQuantizedByteVectorValues others = values.copy();
                byte[] query = values.vectorValue(ord).clone();
                float queryOffset = values.getScoreCorrectionConstant(ord);
                return Int7DotProductScorer.scorer(others, query, queryOffset, values.getScalarQuantizer().getConstantMultiplier(), dots);
            }

            @Override
            public RandomVectorScorerSupplier copy() throws IOException {
                return new Int7Supplier(values.copy(), dots);
            }
        }
    }
}

package org.reid.index;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorsReader;
import org.apache.lucene.codecs.hnsw.FlatVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99FlatVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsReader;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99ScalarQuantizedVectorsReader;
import org.apache.lucene.codecs.lucene99.Lucene99ScalarQuantizedVectorsWriter;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.util.IOUtils;

/**
 * Lucene's HNSW files ({@code Lucene99HnswVectorsFormat}, or {@code
 * Lucene99HnswScalarQuantizedVectorsFormat} with 7 bits), byte for byte, scored with {@link
 * HnswVectorScorers}: the same graphs and answers, built and searched with SIMD dot products on
 * Java 17. Only the format's name differs, so that a segment written by it is read by it (Lucene
 * finds a segment's format by the name it recorded; both names are registered in {@code
 * META-INF/services}). Segments written by Lucene's own formats stay readable and are rewritten in
 * this one by the next merge.
 *
 * <p>Segments of fewer than {@code graphMinDocs} vectors are written without a graph and searched by
 * a scan ({@link GraphThresholdVectorsWriter}, {@link ExactSearchVectorsReader}); a segment has a
 * graph exactly when it has the HNSW index files, which is how the reader tells them apart.
 */
public abstract class SimdHnswVectorsFormat extends KnnVectorsFormat {

    /**
     * The longest vector a segment takes. Lucene's own formats stop at 1024, a default rather than
     * a limit of their files; a BoT ResNet-50, the field's common baseline, embeds in 2048.
     */
    public static final int MAX_DIMENSIONS = 4096;

    /** {@code Lucene99HnswVectorsFormat}'s metadata file: written only with a graph. */
    private static final String GRAPH_META_EXTENSION = "vem";

    private final int maxConn;
    private final int beamWidth;
    private final int mergeWorkers;
    private final TaskExecutor mergeExecutor;
    private final int graphMinDocs;

    SimdHnswVectorsFormat(String name, int maxConn, int beamWidth, int mergeWorkers, ExecutorService mergeExecutor,
                          int graphMinDocs) {
        super(name);
        this.maxConn = maxConn;
        this.beamWidth = beamWidth;
        this.mergeWorkers = mergeWorkers;
        this.mergeExecutor = mergeExecutor == null ? null : new TaskExecutor(mergeExecutor);
        this.graphMinDocs = graphMinDocs;
    }

    /** The flat (non-graph) vector storage the graph sits on. */
    abstract FlatVectorsWriter flatWriter(SegmentWriteState state) throws IOException;

    abstract FlatVectorsReader flatReader(SegmentReadState state) throws IOException;

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
        if (graphMinDocs <= 1) {
            return graphWriter(state);
        }
        return new GraphThresholdVectorsWriter(state, graphMinDocs, this::graphWriter, this::flatWriter);
    }

    private KnnVectorsWriter graphWriter(SegmentWriteState state) throws IOException {
        return new Lucene99HnswVectorsWriter(state, maxConn, beamWidth, flatWriter(state), mergeWorkers, mergeExecutor);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
        return hasGraph(state) ? new Lucene99HnswVectorsReader(state, flatReader(state))
                : new ExactSearchVectorsReader(flatReader(state));
    }

    /** Lists the segment's directory (the compound file's entries, when it has one). */
    private static boolean hasGraph(SegmentReadState state) throws IOException {
        String meta = IndexFileNames.segmentFileName(state.segmentInfo.name, state.segmentSuffix, GRAPH_META_EXTENSION);
        return Arrays.asList(state.directory.listAll()).contains(meta);
    }

    @Override
    public int getMaxDimensions(String fieldName) {
        return MAX_DIMENSIONS;
    }

    @Override
    public String toString() {
        return getName() + "(maxConn=" + maxConn + ", beamWidth=" + beamWidth + ", mergeWorkers=" + mergeWorkers
                + ", graphMinDocs=" + graphMinDocs + ")";
    }

    /** Float vectors: {@code Lucene99HnswVectorsFormat}'s files. */
    public static final class Floats extends SimdHnswVectorsFormat {
        public static final String NAME = "ReidSimdHnsw";

        /** For reading (Lucene's SPI); the graph parameters and threshold only matter when writing. */
        public Floats() {
            this(16, 100, 1, null, 0);
        }

        public Floats(int maxConn, int beamWidth, int mergeWorkers, ExecutorService mergeExecutor, int graphMinDocs) {
            super(NAME, maxConn, beamWidth, mergeWorkers, mergeExecutor, graphMinDocs);
        }

        @Override
        FlatVectorsWriter flatWriter(SegmentWriteState state) throws IOException {
            return new Lucene99FlatVectorsFormat(HnswVectorScorers.FLOAT).fieldsWriter(state);
        }

        @Override
        FlatVectorsReader flatReader(SegmentReadState state) throws IOException {
            return new Lucene99FlatVectorsFormat(HnswVectorScorers.FLOAT).fieldsReader(state);
        }
    }

    /**
     * 7-bit scalar-quantised vectors beside the floats: {@code Lucene99HnswScalarQuantizedVectorsFormat}'s
     * files with 7 bits, no compression and Lucene's default confidence interval.
     */
    public static final class Int7 extends SimdHnswVectorsFormat {
        public static final String NAME = "ReidSimdHnswInt7";

        /** For reading (Lucene's SPI); the graph parameters and threshold only matter when writing. */
        public Int7() {
            this(16, 100, 1, null, 0);
        }

        public Int7(int maxConn, int beamWidth, int mergeWorkers, ExecutorService mergeExecutor, int graphMinDocs) {
            super(NAME, maxConn, beamWidth, mergeWorkers, mergeExecutor, graphMinDocs);
        }

        @Override
        FlatVectorsWriter flatWriter(SegmentWriteState state) throws IOException {
            FlatVectorsWriter raw = new Lucene99FlatVectorsFormat(HnswVectorScorers.FLOAT).fieldsWriter(state);
            try {
                return new Lucene99ScalarQuantizedVectorsWriter(state, null, (byte) 7, false, raw, HnswVectorScorers.INT7);
            } catch (IOException | RuntimeException e) {
                IOUtils.closeWhileHandlingException(raw);
                throw e;
            }
        }

        @Override
        FlatVectorsReader flatReader(SegmentReadState state) throws IOException {
            FlatVectorsReader raw = new Lucene99FlatVectorsFormat(HnswVectorScorers.FLOAT).fieldsReader(state);
            try {
                return new Lucene99ScalarQuantizedVectorsReader(state, raw, HnswVectorScorers.INT7);
            } catch (IOException | RuntimeException e) {
                IOUtils.closeWhileHandlingException(raw);
                throw e;
            }
        }
    }
}

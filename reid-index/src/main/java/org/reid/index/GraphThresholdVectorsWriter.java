package org.reid.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.codecs.KnnFieldVectorsWriter;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.MergeState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.index.Sorter;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.RamUsageEstimator;

/**
 * Writes a segment's vectors with an HNSW graph only when the segment holds at least {@code
 * graphMinDocs} of them, and flat (vectors only, searched by a scan: {@link ExactSearchVectorsReader})
 * when it holds fewer. A graph over a small segment costs more to build than it saves a search: a
 * search that gathers {@code efSearch} candidates visits most of a small graph anyway. Ingestion
 * flushes a small segment per chunk and merges them tier by tier, so without this every vector was
 * inserted into a fresh graph at each tier below the threshold.
 *
 * <p>A flushed segment's size is known only at flush, so its vectors are buffered (Lucene's own
 * writers buffer them too) and handed to the chosen writer then; a merged segment's size is known
 * before the merge starts.
 */
final class GraphThresholdVectorsWriter extends KnnVectorsWriter {

    /** Creates the writer that goes on to write the segment's files (creating them). */
    interface WriterFactory {
        KnnVectorsWriter create(SegmentWriteState state) throws IOException;
    }

    private final SegmentWriteState state;
    private final int graphMinDocs;
    private final WriterFactory graph;
    private final WriterFactory flat;
    private final List<BufferedField> buffered = new ArrayList<>();
    private KnnVectorsWriter delegate;

    GraphThresholdVectorsWriter(SegmentWriteState state, int graphMinDocs, WriterFactory graph, WriterFactory flat) {
        this.state = state;
        this.graphMinDocs = graphMinDocs;
        this.graph = graph;
        this.flat = flat;
    }

    @Override
    public KnnFieldVectorsWriter<?> addField(FieldInfo fieldInfo) {
        if (fieldInfo.getVectorEncoding() != VectorEncoding.FLOAT32) {
            throw new IllegalArgumentException("only float vectors are supported, not " + fieldInfo.getVectorEncoding()
                    + " (field " + fieldInfo.name + ")");
        }
        BufferedField field = new BufferedField(fieldInfo);
        buffered.add(field);
        return field;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void flush(int maxDoc, Sorter.DocMap sortMap) throws IOException {
        int most = buffered.stream().mapToInt(f -> f.vectors.size()).max().orElse(0);
        delegate = (most >= graphMinDocs ? graph : flat).create(state);
        for (BufferedField field : buffered) {
            KnnFieldVectorsWriter<float[]> writer = (KnnFieldVectorsWriter<float[]>) delegate.addField(field.info);
            for (int i = 0; i < field.vectors.size(); i++) {
                writer.addValue(field.docs[i], field.vectors.get(i));
            }
            field.vectors.clear(); // the delegate holds its own copies now
        }
        delegate.flush(maxDoc, sortMap);
    }

    @Override
    public void mergeOneField(FieldInfo fieldInfo, MergeState mergeState) throws IOException {
        if (delegate == null) {
            // the merged segment's documents (deleted ones already left out): all of ours carry a vector
            delegate = (mergeState.segmentInfo.maxDoc() >= graphMinDocs ? graph : flat).create(state);
        }
        delegate.mergeOneField(fieldInfo, mergeState);
    }

    @Override
    public void finish() throws IOException {
        if (delegate != null) {
            delegate.finish();
        }
    }

    @Override
    public void close() throws IOException {
        IOUtils.close(delegate);
    }

    @Override
    public long ramBytesUsed() {
        long bytes = buffered.stream().mapToLong(BufferedField::ramBytesUsed).sum();
        return delegate == null ? bytes : bytes + delegate.ramBytesUsed();
    }

    /** One field's vectors as they are added, in document order. */
    private static final class BufferedField extends KnnFieldVectorsWriter<float[]> {
        private final FieldInfo info;
        private final List<float[]> vectors = new ArrayList<>();
        private int[] docs = new int[16];

        BufferedField(FieldInfo info) {
            this.info = info;
        }

        @Override
        public void addValue(int docID, float[] vectorValue) {
            if (vectors.size() == docs.length) {
                docs = Arrays.copyOf(docs, docs.length * 2);
            }
            docs[vectors.size()] = docID;
            vectors.add(copyValue(vectorValue)); // the caller may reuse its array
        }

        @Override
        public float[] copyValue(float[] vectorValue) {
            return vectorValue.clone();
        }

        @Override
        public long ramBytesUsed() {
            return RamUsageEstimator.sizeOf(docs)
                    + (long) vectors.size() * (RamUsageEstimator.NUM_BYTES_OBJECT_REF + RamUsageEstimator.NUM_BYTES_ARRAY_HEADER
                    + (long) info.getVectorDimension() * Float.BYTES);
        }
    }
}

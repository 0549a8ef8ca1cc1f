package org.reid.index;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;

/** How a gallery entry is laid out as a Lucene document, and how a {@link SearchFilter} becomes a query. */
final class GalleryDocuments {

    static final String VECTOR = "vector";
    /** The entry id as a term, so add can replace and delete can find a document by it. */
    static final String ENTRY_KEY = "entry_key";
    static final String ENTRY = "entry";
    static final String IDENTITY = "identity";
    static final String CAMERA = "camera";
    static final String CAPTURED_AT = "captured_at";

    private GalleryDocuments() {
    }

    static Term key(long entryId) {
        return new Term(ENTRY_KEY, Long.toString(entryId));
    }

    /** Vectors are unit length, so DOT_PRODUCT is cosine; Lucene scores it as (1 + cos) / 2. */
    static Document document(IndexedVector v, float[] unitVector) {
        Document doc = new Document();
        doc.add(new StringField(ENTRY_KEY, Long.toString(v.entryId()), Field.Store.NO));
        doc.add(new LongField(ENTRY, v.entryId(), Field.Store.YES));
        doc.add(new LongField(IDENTITY, v.identityId(), Field.Store.YES));
        doc.add(new IntField(CAMERA, v.cameraId(), Field.Store.YES));
        doc.add(new LongField(CAPTURED_AT, v.capturedAtMillis(), Field.Store.YES));
        doc.add(new KnnFloatVectorField(VECTOR, unitVector, VectorSimilarityFunction.DOT_PRODUCT));
        return doc;
    }

    static float cosine(float luceneScore) {
        return 2f * luceneScore - 1f;
    }

    /** The filter as a Lucene query for filtered kNN, or null when it lets everything through. */
    static Query filterQuery(SearchFilter filter) {
        if (filter.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER);
        if (!filter.cameras().isEmpty()) {
            b.add(IntField.newSetQuery(CAMERA, ints(filter)), BooleanClause.Occur.FILTER);
        }
        if (!filter.excludeCameras().isEmpty()) {
            b.add(IntField.newSetQuery(CAMERA, filter.excludeCameras().stream().mapToInt(Integer::intValue).toArray()),
                    BooleanClause.Occur.MUST_NOT);
        }
        if (filter.fromMillis() != null || filter.toMillis() != null) {
            long from = filter.fromMillis() == null ? Long.MIN_VALUE : filter.fromMillis();
            long to = filter.toMillis() == null ? Long.MAX_VALUE : filter.toMillis();
            b.add(LongField.newRangeQuery(CAPTURED_AT, from, to), BooleanClause.Occur.FILTER);
        }
        return b.build();
    }

    private static int[] ints(SearchFilter filter) {
        return filter.cameras().stream().mapToInt(Integer::intValue).toArray();
    }
}

package org.reid.index.solr;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.reid.index.SearchFilter;

/** A {@link SearchFilter} as Solr filter queries (which the knn query parser uses as its pre-filter). */
final class SolrFilters {
    private SolrFilters() {
    }

    static List<String> of(SearchFilter filter) {
        List<String> fq = new ArrayList<>();
        if (!filter.cameras().isEmpty()) {
            fq.add("{!terms f=" + SolrVectorIndex.CAMERA + "}" + join(filter.cameras()));
        }
        if (!filter.excludeCameras().isEmpty()) {
            fq.add("*:* -" + SolrVectorIndex.CAMERA + ":(" + filter.excludeCameras().stream().sorted()
                    .map(String::valueOf).collect(Collectors.joining(" OR ")) + ")");
        }
        if (filter.fromMillis() != null || filter.toMillis() != null) {
            fq.add(SolrVectorIndex.CAPTURED_AT + ":[" + bound(filter.fromMillis()) + " TO " + bound(filter.toMillis()) + "]");
        }
        return fq;
    }

    private static String join(Set<Integer> values) {
        return values.stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String bound(Long millis) {
        return millis == null ? "*" : millis.toString();
    }
}

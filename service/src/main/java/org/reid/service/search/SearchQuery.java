package org.reid.service.search;

import java.util.List;
import org.reid.index.SearchFilter;
import org.reid.service.image.CheckedImage;

/** A checked search request: the crops of one person, how many identities, the filter, re-ranking. */
public record SearchQuery(List<CheckedImage> images, int topK, SearchFilter filter, boolean rerank) {
}

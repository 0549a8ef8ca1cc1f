package org.reid.service.search;

import java.util.List;
import org.reid.index.SearchFilter;
import org.reid.service.image.CheckedImage;

/**
 * A checked search request: the crops of one person, how many identities, the filter, re-ranking,
 * and the camera the crops were taken by (null: not said), which picks a camera pair's threshold
 * and filters nothing.
 */
public record SearchQuery(List<CheckedImage> images, int topK, SearchFilter filter, boolean rerank, Integer camera) {
}

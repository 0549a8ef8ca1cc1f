package org.reid.service.store;

import java.util.List;

/** One page of rows and how many rows there are in all. */
public record PageOf<T>(List<T> content, long total) {
    public int totalPages(int size) {
        return (int) ((total + size - 1) / size);
    }
}

package org.reid.service.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The stored bytes of gallery crops, read only where they are needed: one image, or a chunk to re-embed. */
@Repository
public class CropImages {
    /** A crop's bytes and their media type. */
    public record Crop(String contentType, byte[] bytes) {}

    private final JdbcClient jdbc;

    public CropImages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Crop> find(long entryId) {
        return jdbc.sql("select content_type, image from gallery_entry where id = ?").param(entryId)
                .query((rs, i) -> new Crop(rs.getString(1), rs.getBytes(2))).optional();
    }

    /** Bytes by entry id; an id erased meanwhile is absent. */
    public Map<Long, byte[]> byIds(List<Long> entryIds) {
        Map<Long, byte[]> images = new HashMap<>();
        if (entryIds.isEmpty()) {
            return images;
        }
        jdbc.sql("select id, image from gallery_entry where id in (:ids)").param("ids", entryIds)
                .query(rs -> {
                    images.put(rs.getLong(1), rs.getBytes(2));
                });
        return images;
    }
}

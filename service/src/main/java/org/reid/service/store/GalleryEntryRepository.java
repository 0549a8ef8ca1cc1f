package org.reid.service.store;

import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface GalleryEntryRepository extends JpaRepository<GalleryEntry, Long> {
    Page<GalleryEntry> findByIdentityId(Long identityId, Pageable pageable);

    @Query("select e.id from GalleryEntry e where e.identityId = ?1")
    List<Long> findIdsByIdentityId(Long identityId);

    @Query("select e.id from GalleryEntry e where e.capturedAt < ?1")
    List<Long> findIdsCapturedBefore(Instant cutoff);

    /** Per identity: entry count, first and last capture, and one entry for a thumbnail. */
    @Query("select e.identityId, count(e), min(e.capturedAt), max(e.capturedAt), min(e.id) from GalleryEntry e "
            + "where e.identityId in ?1 group by e.identityId")
    List<Object[]> summarize(List<Long> identityIds);

    @Query("select distinct e.identityId, e.cameraId from GalleryEntry e where e.identityId in ?1")
    List<Object[]> camerasOf(List<Long> identityIds);
}

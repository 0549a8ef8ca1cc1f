package org.reid.service.store;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface IdentityRepository extends JpaRepository<Identity, Long> {
    Page<Identity> findByLabelStartingWith(String prefix, Pageable pageable);
}

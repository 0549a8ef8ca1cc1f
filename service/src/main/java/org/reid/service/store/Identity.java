package org.reid.service.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A person of the gallery, known by the label the operator gave it. */
@Entity
@Table(name = "identity")
public class Identity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true)
    private String label;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Identity() {}

    public Identity(String label) {
        this.label = label;
        this.createdAt = Instant.now();
    }

    public Long getId() { return id; }
    public String getLabel() { return label; }
    public Instant getCreatedAt() { return createdAt; }
}

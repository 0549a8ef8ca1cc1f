package org.reid.service.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/**
 * What is known of one stored crop of an identity, without its bytes: listings never load them
 * (JPA's lazy loading of a basic field needs bytecode enhancement, so a mapped byte[] would be read
 * with every row). The bytes, kept so that a new model can re-embed the gallery, are read by
 * {@link CropImages}; rows are written by {@code gallery.GalleryWriter}'s bulk insert.
 */
@Entity
@Immutable
@Table(name = "gallery_entry")
public class GalleryEntry {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "identity_id", nullable = false)
    private Long identityId;

    @Column(nullable = false, unique = true, length = 64)
    private String sha256;

    @Column(name = "camera_id", nullable = false)
    private int cameraId;

    @Column(name = "captured_at", nullable = false)
    private Instant capturedAt;

    @Column(nullable = false)
    private String source;

    @Column(name = "content_type", nullable = false)
    private String contentType;

    @Column(nullable = false)
    private int width;

    @Column(nullable = false)
    private int height;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected GalleryEntry() {}

    public Long getId() { return id; }
    public Long getIdentityId() { return identityId; }
    public String getSha256() { return sha256; }
    public int getCameraId() { return cameraId; }
    public Instant getCapturedAt() { return capturedAt; }
    public String getSource() { return source; }
    public String getContentType() { return contentType; }
    public int getWidth() { return width; }
    public int getHeight() { return height; }
    public Instant getCreatedAt() { return createdAt; }
}

package org.reid.service.store;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One stored crop of an identity. The bytes are kept so that a new model can re-embed the gallery. */
@Entity
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

    @Basic(fetch = FetchType.LAZY)
    @Column(nullable = false)
    private byte[] image;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected GalleryEntry() {}

    public GalleryEntry(Long identityId, String sha256, int cameraId, Instant capturedAt, String source,
            String contentType, int width, int height, byte[] image) {
        this.identityId = identityId;
        this.sha256 = sha256;
        this.cameraId = cameraId;
        this.capturedAt = capturedAt;
        this.source = source;
        this.contentType = contentType;
        this.width = width;
        this.height = height;
        this.image = image;
        this.createdAt = Instant.now();
    }

    public Long getId() { return id; }
    public Long getIdentityId() { return identityId; }
    public String getSha256() { return sha256; }
    public int getCameraId() { return cameraId; }
    public Instant getCapturedAt() { return capturedAt; }
    public String getSource() { return source; }
    public String getContentType() { return contentType; }
    public int getWidth() { return width; }
    public int getHeight() { return height; }
    public byte[] getImage() { return image; }
    public Instant getCreatedAt() { return createdAt; }
}

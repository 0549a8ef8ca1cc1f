package org.reid.registry;

import java.util.List;
import java.util.Optional;

/**
 * Where the training job publishes models and the service finds them. Two forms: PostgreSQL
 * ({@link JdbcModelRegistry}, shared by job and service) and a directory ({@link
 * DirectoryModelRegistry}, for offline use).
 */
public interface ModelRegistry {

    /**
     * Stores a new model version as a {@link ModelState#CANDIDATE}.
     *
     * @param manifestJson the artifact's manifest.json
     * @param metricsJson  its evaluation metrics (JSON object), or null
     * @param artifactZip  the whole artifact as a zip
     * @throws IllegalArgumentException if name and version are already published
     */
    RegisteredModel publishCandidate(String name, String version, String manifestJson, String metricsJson, byte[] artifactZip);

    /** Every version, newest first. */
    List<RegisteredModel> list();

    Optional<RegisteredModel> find(String name, String version);

    Optional<RegisteredModel> active();

    /** The artifact zip of a version; its sha256 is checked on the way out. */
    byte[] artifact(long id);

    /**
     * Moves a version to {@code state}. Activating retires the previously active version in the
     * same transaction, so there is never more than one active model.
     */
    RegisteredModel changeState(long id, ModelState state, String reason);
}

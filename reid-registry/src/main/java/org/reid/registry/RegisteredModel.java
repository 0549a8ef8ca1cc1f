package org.reid.registry;

import java.time.Instant;

/**
 * One model version in the registry (without its artifact bytes, which can be large).
 *
 * @param manifestJson the artifact's manifest.json, as published
 * @param metricsJson  the evaluation metrics object of the manifest, or null
 */
public record RegisteredModel(
        long id,
        String name,
        String version,
        ModelState state,
        String stateReason,
        String manifestJson,
        String metricsJson,
        String artifactSha256,
        Instant createdAt) {}

package org.reid.service.models;

import java.time.Instant;

/** A model switch as {@code GET /api/v1/models/switch} shows it. */
public record SwitchStatus(long id, Long fromModelId, long toModelId, String state, int total, int embedded, String reason,
        String error, String requestedBy, Instant startedAt, Instant updatedAt, Instant finishedAt) {
}

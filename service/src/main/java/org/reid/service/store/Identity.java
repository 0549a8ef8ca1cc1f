package org.reid.service.store;

import java.time.Instant;

/** A person of the gallery, known by the label the operator gave it (a row of {@code identity}). */
public record Identity(long id, String label, Instant createdAt) {}

package org.reid.service.gallery;

/**
 * Published once an identity's erasure is committed, for what keeps the person's crops outside
 * PostgreSQL and the index (the demo's crop files).
 */
public record IdentityErased(String label) {}

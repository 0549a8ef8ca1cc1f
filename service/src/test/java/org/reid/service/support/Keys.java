package org.reid.service.support;

/** The API keys the test configuration defines (their sha256s are in {@link ServiceTest}). */
public final class Keys {
    public static final String SEARCH = "test-search-key";
    public static final String INGEST = "test-ingest-key";
    public static final String ADMIN = "test-admin-key";
    public static final String METRICS = "test-metrics-key";

    private Keys() {}
}

package org.reid.service.security;

/** What an API key may do (docs/api.md has the matrix). METRICS: scrape Prometheus and read health details, nothing else. */
public enum Role {
    SEARCH, INGEST, ADMIN, METRICS;

    public String authority() {
        return "ROLE_" + name();
    }
}

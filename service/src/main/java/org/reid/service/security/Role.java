package org.reid.service.security;

/** What an API key may do (docs/api.md has the matrix). */
public enum Role {
    SEARCH, INGEST, ADMIN;

    public String authority() {
        return "ROLE_" + name();
    }
}

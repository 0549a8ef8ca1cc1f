package org.reid.service.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

/**
 * Who did what, when, to what, with how many results: one row per search, ingestion and deletion
 * in {@code audit_event}, written in the caller's transaction when there is one.
 */
@Service
public class AuditLog {
    private static final Logger log = LoggerFactory.getLogger("audit");
    public static final String SYSTEM = "system";

    private final JdbcTemplate jdbc;

    public AuditLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records an event by the current caller (the API key's name, or {@code system}). */
    public void record(String action, String target, Integer resultCount, String details) {
        record(currentActor(), action, target, resultCount, details);
    }

    public void record(String actor, String action, String target, Integer resultCount, String details) {
        jdbc.update("insert into audit_event (actor, action, target, result_count, details) values (?, ?, ?, ?, ?)",
                actor, action, target, resultCount, details);
        log.info("actor={} action={} target={} results={} {}", actor, action, target, resultCount, details == null ? "" : details);
    }

    public static String currentActor() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        return a == null || !a.isAuthenticated() ? SYSTEM : a.getName();
    }
}

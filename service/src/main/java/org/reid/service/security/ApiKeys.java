package org.reid.service.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.reid.core.util.Sha256;
import org.reid.service.config.ReidProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The known API keys, by the sha256 of the key (no key is kept in clear): keys from configuration
 * ({@code reid.security.api-keys}), the {@code REID_ADMIN_KEY} environment variable, and the admin
 * key a demo installation generates on its first start (stored hashed in PostgreSQL).
 */
@Component
public class ApiKeys {
    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    static final String GENERATED_ADMIN = "generated-admin";

    /** Who a key belongs to. */
    public record Holder(String name, Set<Role> roles) {}

    private final Map<String, Holder> bySha256 = new ConcurrentHashMap<>();
    private final ReidProperties.Security settings;
    private final String adminKeyFromEnvironment;
    private final JdbcTemplate jdbc;

    public ApiKeys(ReidProperties properties, JdbcTemplate jdbc) {
        this.settings = properties.getSecurity();
        this.adminKeyFromEnvironment = properties.getAdminKey();
        this.jdbc = jdbc;
        for (ReidProperties.ConfiguredKey k : settings.getApiKeys()) {
            register(k);
        }
        if (!adminKeyFromEnvironment.isBlank()) {
            bySha256.put(sha256(adminKeyFromEnvironment), new Holder("admin (REID_ADMIN_KEY)", EnumSet.of(Role.ADMIN)));
        }
    }

    public Optional<Holder> find(String key) {
        return key == null || key.isBlank() ? Optional.empty() : Optional.ofNullable(bySha256.get(sha256(key.trim())));
    }

    /**
     * Loads the keys stored in PostgreSQL and, on a first start with no key anywhere, generates an
     * admin key, prints it once and stores only its hash. Returns the generated key, if any.
     */
    public Optional<String> loadStoredAndGenerateIfNone() {
        jdbc.query("select name, key_sha256, roles from api_key", rs -> {
            bySha256.put(rs.getString(2).trim(), new Holder(rs.getString(1), roles(List.of(rs.getString(3).split(",")), rs.getString(1))));
        });
        if (!bySha256.isEmpty() || !settings.isGenerateAdminKey()) {
            return Optional.empty();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String key = "reid-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        jdbc.update("insert into api_key (name, key_sha256, roles) values (?, ?, ?) on conflict do nothing",
                GENERATED_ADMIN, sha256(key), "ADMIN");
        bySha256.put(sha256(key), new Holder(GENERATED_ADMIN, EnumSet.of(Role.ADMIN)));
        String banner = "\n================================================================\n"
                + " No API key was configured, so an ADMIN key was generated.\n"
                + " It is shown only now (only its sha256 is stored):\n\n"
                + "   X-API-Key: " + key + "\n\n"
                + " Set REID_ADMIN_KEY to choose your own key instead.\n"
                + "================================================================\n";
        System.out.println(banner);
        log.warn("generated an ADMIN API key on first start (printed above; only its hash is stored)");
        return Optional.of(key);
    }

    private void register(ReidProperties.ConfiguredKey k) {
        if (k.getName() == null || k.getName().isBlank()) {
            throw new IllegalStateException("reid.security.api-keys: every key needs a name");
        }
        String sha = k.getSha256() == null ? "" : k.getSha256().trim().toLowerCase(Locale.ROOT);
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new IllegalStateException("reid.security.api-keys '" + k.getName()
                    + "': sha256 must be 64 hex digits (the sha256 of the key, e.g. printf %s KEY | sha256sum)");
        }
        bySha256.put(sha, new Holder(k.getName(), roles(k.getRoles(), k.getName())));
    }

    private static Set<Role> roles(List<String> names, String keyName) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String n : names) {
            try {
                roles.add(Role.valueOf(n.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("API key '" + keyName + "': unknown role '" + n + "' (SEARCH, INGEST, ADMIN, METRICS)");
            }
        }
        if (roles.isEmpty()) {
            throw new IllegalStateException("API key '" + keyName + "' has no role (SEARCH, INGEST, ADMIN, METRICS)");
        }
        return roles;
    }

    public static String sha256(String key) {
        return Sha256.hex(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}

package org.reid.service.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a random port against a real PostgreSQL (embedded here, Testcontainers
 * where Docker runs), the bundled demo model and a Lucene index in a temporary data directory.
 * Every test class extending this shares one application context (Spring caches it), so the
 * database and the model start once per test JVM.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "reid.demo.seed=false",
        "reid.security.generate-admin-key=false",
        "reid.security.api-keys[0].name=search-key",
        "reid.security.api-keys[0].sha256=34cf85eb07dd403faed805c153b87dc81754722e361b86f48489e70bf5079300",
        "reid.security.api-keys[0].roles=SEARCH",
        "reid.security.api-keys[1].name=ingest-key",
        "reid.security.api-keys[1].sha256=5a0a187600e0173ab293d13ad1589ce62c1f2210a41d18f893930379b0bd992b",
        "reid.security.api-keys[1].roles=INGEST",
        "reid.security.api-keys[2].name=admin-key",
        "reid.security.api-keys[2].sha256=944650a7cd0f9e14d5c4fb15edbffb7fa45fb9ed36a4fa9be3d7e5476ae51bd9",
        "reid.security.api-keys[2].roles=ADMIN",
        "reid.security.api-keys[3].name=metrics-key",
        "reid.security.api-keys[3].sha256=c098c85c40d6cf2cd466570e47371a5ec7cfc22c37585e05188869dec452347e",
        "reid.security.api-keys[3].roles=METRICS",
        "reid.limits.max-image-bytes=1048576",
        "reid.limits.max-manifest-bytes=1048576",
        "spring.servlet.multipart.max-file-size=2MB",
        "spring.servlet.multipart.max-request-size=4MB",
        "reid.search.max-wait=PT0.001S"
})
public abstract class ServiceTest {
    private static final Path DATA_DIR = tempDir();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected Api api;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("reid.data-dir", DATA_DIR::toString);
        TestDatabase.properties().forEach((k, v) -> registry.add(k, () -> v));
    }

    @BeforeEach
    void client() {
        api = new Api("http://localhost:" + port);
    }

    protected long count(String table) {
        Long n = jdbc.queryForObject("select count(*) from " + table, Long.class);
        return n == null ? 0 : n;
    }

    protected static Path dataDir() {
        return DATA_DIR;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("reid-service-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.reid.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The page at / in Debian's headless Chromium against the running service: search with a held-out
 * crop, check the ranked identities and their thumbnails, open the identity in the gallery. The
 * browser part is {@code src/test/e2e/page.e2e.mjs}; screenshots land in target/page-e2e.
 *
 * <p>Needs {@code scripts/install-browser.sh} to have run (CI runs it first); without Chromium or
 * node_modules this test fails and says so, it does not skip.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PageEndToEndTest {
    private static final String SEARCH_KEY = "page-e2e-search-key";
    private static final String ADMIN_KEY = "page-e2e-admin-key";
    private static final Path WORK = freshWorkDir();

    // ---- LEAD: data setup. Until the shared test base class exists, this test configures its own
    // keys (an ADMIN key to ingest, a SEARCH-only key for the page), a fresh data directory and no
    // demo seeding, and ingests a synthetic gallery through the API (SyntheticGalleryFixture).
    @DynamicPropertySource
    static void serviceProperties(DynamicPropertyRegistry registry) {
        registry.add("reid.data-dir", () -> WORK.resolve("data").toString());
        registry.add("reid.demo.seed", () -> "false");
        registry.add("reid.security.generate-admin-key", () -> "false");
        registry.add("reid.admin-key", () -> ADMIN_KEY);
        registry.add("reid.security.api-keys[0].name", () -> "page-e2e-search");
        registry.add("reid.security.api-keys[0].sha256", () -> sha256Hex(SEARCH_KEY));
        registry.add("reid.security.api-keys[0].roles", () -> "SEARCH");
    }
    // ---- end of the data setup's configuration

    private static ChromiumPageScript script;

    @LocalServerPort
    int port;

    /** Before the server starts: without the browser this fails at once, with the fix in its message. */
    @BeforeAll
    static void browserIsInstalled() {
        script = ChromiumPageScript.locate(Duration.ofMinutes(3));
        assertThat(script.missingPrerequisites())
                .as("the page's end-to-end test cannot run; %s", ChromiumPageScript.INSTALL_HINT)
                .isEmpty();
    }

    @Test
    void searchRanksTheHeldOutCropsIdentityFirstAndTheGalleryShowsItsCrops() throws Exception {

        String baseUrl = "http://localhost:" + port;
        SyntheticGalleryFixture.Prepared gallery = SyntheticGalleryFixture.ingest(baseUrl, ADMIN_KEY, WORK); // LEAD: data setup

        ChromiumPageScript.Result result = script.run(new ChromiumPageScript.Inputs(
                baseUrl, SEARCH_KEY, gallery.queryImage(), gallery.expectedLabel(), Path.of("target/page-e2e")));

        assertThat(result.exitCode())
                .as("page.e2e.mjs exited with %d (query %s, expected label %s, %d gallery crops); its output:%n%s",
                        result.exitCode(), gallery.queryImage().getFileName(), gallery.expectedLabel(),
                        gallery.galleryEntries(), result.output())
                .isZero();
    }

    /** target/page-e2e/work, emptied first: a fresh embedded database and gallery every run. */
    private static Path freshWorkDir() {
        Path dir = Path.of("target/page-e2e/work").toAbsolutePath();
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

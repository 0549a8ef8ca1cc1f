package org.reid.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reid.service.support.Api;
import org.reid.service.support.Gallery;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceTest;
import org.reid.service.support.TestCrops;

/**
 * The page at / in Debian's headless Chromium against the running test service: search with a
 * held-out crop as an operator would (SEARCH-only key), check the ranked identities and their
 * thumbnails, open the identity in the gallery and check its crops. The browser part is
 * {@code src/test/e2e/page.e2e.mjs}; its screenshots land in target/page-e2e.
 *
 * <p>Needs {@code scripts/install-browser.sh} to have run (CI runs it first): without Chromium or
 * node_modules this test fails, saying so, before the server starts; it never skips.
 */
class PageEndToEndTest extends ServiceTest {
    private static ChromiumPageScript script;

    @BeforeAll
    static void browserIsInstalled() {
        script = ChromiumPageScript.locate(Duration.ofMinutes(3));
        assertThat(script.missingPrerequisites())
                .as("the page's end-to-end test cannot run; %s", ChromiumPageScript.INSTALL_HINT)
                .isEmpty();
    }

    @BeforeEach
    void gallery() {
        Gallery.ensureIngested(api);
    }

    @Test
    void searchShowsTheHeldOutCropsIdentityFirstAndTheGalleryShowsItsCrops() throws Exception {
        Path query = heldOutCropRankedFirstByTheApi();
        String label = TestCrops.identityOf(query);

        ChromiumPageScript.Result result = script.run(new ChromiumPageScript.Inputs(
                "http://localhost:" + port, Keys.SEARCH, query, label, Path.of("target/page-e2e")));

        assertThat(result.exitCode())
                .as("page.e2e.mjs exited with %d (query %s, expected label %s); its output:%n%s",
                        result.exitCode(), query.getFileName(), label, result.output())
                .isZero();
    }

    /**
     * The first held-out crop whose own identity the API ranks first: the page must show what the
     * API answers (ranking quality itself is SearchTest's business, which allows a few misses).
     */
    private Path heldOutCropRankedFirstByTheApi() {
        for (Path q : TestCrops.queries()) {
            Api.Response r = api.postMultipart("/api/v1/search", Keys.SEARCH, List.of(
                    Api.Part.file("image", q.getFileName().toString(), TestCrops.bytes(q)), Api.Part.field("topK", "1")));
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            if (r.json().get("identities").get(0).get("label").asText().equals(TestCrops.identityOf(q))) {
                return q;
            }
        }
        throw new AssertionError("no held-out crop ranks its own identity first; SearchTest should say more");
    }
}

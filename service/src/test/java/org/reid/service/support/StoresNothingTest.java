package org.reid.service.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Tests of requests that must be refused with nothing stored: every table a request could write counts the same after each test. */
public abstract class StoresNothingTest extends ServiceTest {
    private Map<String, Long> before;

    @BeforeEach
    void snapshot() {
        before = counts();
    }

    @AfterEach
    void nothingStored() {
        assertThat(counts()).as("rows after the test").isEqualTo(before);
    }

    private Map<String, Long> counts() {
        return Map.of("identity", count("identity"), "gallery_entry", count("gallery_entry"), "embedding", count("embedding"),
                "ingest_batch", count("ingest_batch"), "ingest_item", count("ingest_item"), "model_version",
                count("model_version"));
    }
}

package org.reid.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;

class ReidPropertiesTest {
    @Test
    void defaultsAreThoseOfADemoRun() {
        ReidProperties p = ReidProperties.defaults();
        assertThat(p.getDataDir()).isEqualTo(Path.of("data"));
        assertThat(p.getAdminKey()).isEmpty();
        assertThat(p.getModel().getBootstrap()).isEqualTo("classpath:models/reid-demo-small-4.zip");
        assertThat(p.getSearch().getFalseMatchRate()).isNull();
        assertThat(p.getSearch().getMaxWait()).isEqualTo(Duration.ofMillis(3));
        assertThat(p.getSearch().getCameraPairMinGenuine()).isEqualTo(50);
        assertThat(p.getSearch().getCameraPairMinImpostor()).isEqualTo(100);
        assertThat(p.getLimits().getMaxImageBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(p.getRetention().getMaxAge()).isNull();
        assertThat(p.getSecurity().getApiKeys()).isEmpty();
        assertThat(p.getSync().getStaleAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.getSync().getEvery()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.getPromotion().getPollEvery()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void bindsKeysTheWaySpringDoes() {
        ReidProperties p = ReidProperties.of(Map.of(
                "admin-key", "s3cret",
                "sync.stale-after", "PT2S",
                "search.false-match-rate", "0.01",
                "search.camera-pair-min-impostor", "20",
                "security.api-keys[0].name", "ops",
                "security.api-keys[0].sha256", "ab",
                "security.api-keys[0].roles", "SEARCH,INGEST"));
        assertThat(p.getAdminKey()).isEqualTo("s3cret");
        assertThat(p.getSync().getStaleAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.getSearch().getFalseMatchRate()).isEqualTo(0.01);
        assertThat(p.getSearch().getCameraPairMinImpostor()).isEqualTo(20);
        assertThat(p.getSecurity().getApiKeys()).singleElement()
                .satisfies(k -> assertThat(k.getRoles()).containsExactly("SEARCH", "INGEST"));
    }

    @Test
    void aValueOutOfRangeStopsTheStartNamingTheKey() {
        assertRejected("search.false-match-rate", "1.5", "reid.search.false-match-rate must be a fraction strictly between 0 and 1 (0.01 = 1% of strangers' queries matched; unset: the equal error rate), was 1.5");
        assertRejected("model.predictors", "0", "reid.model.predictors must be at least 1, was 0");
        assertRejected("search.camera-pair-min-genuine", "0", "reid.search.camera-pair-min-genuine must be at least 1, was 0");
        assertRejected("search.camera-pair-min-impostor", "-5", "reid.search.camera-pair-min-impostor must be at least 1, was -5");
        assertRejected("sync.stale-after", "0s", "reid.sync.stale-after must be positive, was PT0S");
        assertRejected("ingest.chunk-size", "-3", "reid.ingest.chunk-size must be at least 1, was -3");
    }

    @Test
    void indexSettingsAreCheckedByTheIndexAndNamedByKey() {
        assertThat(ReidProperties.defaults().getIndex().options().quantization()).hasToString("int7");
        Assertions.assertThatThrownBy(() -> ReidProperties.of(Map.of("index.quantization", "int3")))
                .isInstanceOf(BindException.class)
                .hasStackTraceContaining("invalid reid.index.* setting")
                .rootCause().hasMessage("quantization must be none, int7 or int4, was int3");
        assertRejected("index.backend", "solr", "reid.index.solr.urls must be at least one Solr node URL with "
                + "reid.index.backend=solr, was []");
        assertThat(ReidProperties.of(Map.of("index.merge-threads", "3")).getIndex().options().mergeWorkers()).isEqualTo(3);
        assertThat(ReidProperties.of(Map.of("index.search-threads", "4")).getIndex().options().searchThreads()).isEqualTo(4);
        Assertions.assertThatThrownBy(() -> ReidProperties.of(Map.of("index.merge-threads", "0")))
                .hasStackTraceContaining("merge-threads").rootCause().hasMessageContaining("mergeWorkers=0 (1..64)");
    }

    @Test
    void listsCannotBeChangedAfterBinding() {
        ReidProperties p = ReidProperties.of(Map.of("security.api-keys[0].name", "ops", "security.api-keys[0].roles", "ADMIN"));
        assertThatThrownBy(() -> p.getSecurity().getApiKeys().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.getSecurity().getApiKeys().get(0).getRoles().add("SEARCH"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static void assertRejected(String key, String value, String message) {
        Assertions.assertThatThrownBy(() -> ReidProperties.of(Map.of(key, value)))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessage(message);
    }
}

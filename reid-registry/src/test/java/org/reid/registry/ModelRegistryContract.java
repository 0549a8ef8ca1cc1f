package org.reid.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The behaviour both registry forms share; each form's test supplies a fresh, empty registry. */
abstract class ModelRegistryContract {

    abstract ModelRegistry registry();

    private static final String MANIFEST = "{\"name\":\"reid-small\",\"version\":\"1\"}";
    private static final String METRICS = "{\"rank1\":0.9,\"mAP\":0.7}";

    @Test
    void publishesACandidateAndReadsItBack() {
        ModelRegistry r = registry();
        byte[] zip = "zip-bytes".getBytes(StandardCharsets.UTF_8);
        RegisteredModel m = r.publishCandidate("reid-small", "1", MANIFEST, METRICS, zip);
        assertThat(m.state()).isEqualTo(ModelState.CANDIDATE);
        assertThat(m.artifactSha256()).hasSize(64);
        assertThat(r.find("reid-small", "1")).contains(m);
        assertThat(r.artifact(m.id())).isEqualTo(zip);
        assertThat(r.list()).extracting(RegisteredModel::version).containsExactly("1");
        assertThat(r.active()).isEmpty();
        assertThat(m.metricsJson()).contains("rank1");
    }

    @Test
    void publishingTheSameVersionTwiceIsRejected() {
        ModelRegistry r = registry();
        r.publishCandidate("m", "1", MANIFEST, null, new byte[] {1});
        assertThatThrownBy(() -> r.publishCandidate("m", "1", MANIFEST, null, new byte[] {2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already published");
        assertThat(r.artifact(r.find("m", "1").orElseThrow().id())).containsExactly(1);
    }

    @Test
    void activatingRetiresThePreviouslyActiveVersion() {
        ModelRegistry r = registry();
        RegisteredModel a = r.publishCandidate("m", "1", MANIFEST, null, new byte[] {1});
        RegisteredModel b = r.publishCandidate("m", "2", MANIFEST, null, new byte[] {2});
        r.changeState(a.id(), ModelState.ACTIVE, "first");
        r.changeState(b.id(), ModelState.ACTIVE, "better mAP");
        assertThat(r.active()).map(RegisteredModel::version).contains("2");
        assertThat(r.find("m", "1")).map(RegisteredModel::state).contains(ModelState.RETIRED);
        RegisteredModel rejected = r.changeState(r.publishCandidate("m", "3", MANIFEST, null, new byte[] {3}).id(),
                ModelState.REJECTED, "mAP 0.41 < active 0.52 + margin 0.01");
        assertThat(rejected.stateReason()).contains("mAP");
        assertThat(r.active()).map(RegisteredModel::version).contains("2");
    }

    @Test
    void onlyTheLifeCycleTransitionsAreAllowed() {
        ModelRegistry r = registry();
        RegisteredModel a = r.publishCandidate("m", "1", MANIFEST, null, new byte[] {1});
        r.changeState(a.id(), ModelState.REJECTED, "worse");
        assertThatThrownBy(() -> r.changeState(a.id(), ModelState.ACTIVE, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rejected and cannot become active");
        RegisteredModel b = r.publishCandidate("m", "2", MANIFEST, null, new byte[] {2});
        assertThatThrownBy(() -> r.changeState(b.id(), ModelState.RETIRED, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(r.find("m", "2")).map(RegisteredModel::state).contains(ModelState.CANDIDATE);
    }

    @Test
    void blankNamesAndUnknownIdsAreClearErrors() {
        ModelRegistry r = registry();
        assertThatThrownBy(() -> r.publishCandidate(" ", "1", MANIFEST, null, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> r.changeState(999, ModelState.ACTIVE, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("999");
    }
}

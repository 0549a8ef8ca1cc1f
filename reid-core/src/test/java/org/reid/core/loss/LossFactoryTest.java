package org.reid.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LossFactoryTest {

    @Test
    void knowsEveryLossOfTheProduct() {
        assertThat(LossFactory.names()).containsExactlyInAnyOrder(
                "batch-hard", "batch-all", "contrastive", "lifted", "binomial", "multi-similarity", "proxy-nca",
                "npair", "nca", "nca-triplet", "ephn-2nd", "mvp", "cross-entropy");
    }

    @Test
    void everyLossWithoutRequiredParametersBuildsWithItsDefaults() {
        for (String name : LossFactory.names()) {
            if (name.equals("proxy-nca")) {
                continue; // needs classes and embedding-dim, checked below
            }
            assertThat(LossFactory.create(name).getName()).isEqualTo(name);
        }
        assertThat(LossFactory.create("proxy-nca", Map.of("classes", "10", "embedding-dim", "8")).getName())
                .isEqualTo("proxy-nca");
    }

    @Test
    void parametersReachTheLoss() {
        MvpMatchingLoss mvp = (MvpMatchingLoss) LossFactory.create("mvp", Map.of("alpha", "0.5", "epsilon", "1.5"));
        assertThat(mvp.initialAlpha()).isEqualTo(0.5);
        assertThat(mvp.epsilon()).isEqualTo(1.5);
    }

    @Test
    void unknownNamesAndKeysAreClearErrors() {
        assertThatThrownBy(() -> LossFactory.create("tripplet"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown loss 'tripplet'")
                .hasMessageContaining("batch-hard");
        assertThatThrownBy(() -> LossFactory.create("batch-hard", Map.of("margn", "0.2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("margn")
                .hasMessageContaining("margin");
        assertThatThrownBy(() -> LossFactory.create("batch-hard", Map.of("margin", "wide")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'margin' must be a finite number");
        assertThatThrownBy(() -> LossFactory.create("proxy-nca"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("classes");
    }
}

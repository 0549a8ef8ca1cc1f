package org.reid.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reid.core.image.Preprocessing;
import org.reid.core.model.Backbone;
import org.reid.core.model.Manifest;
import org.reid.core.model.ModelArtifact;
import org.reid.core.model.Neck;
import org.reid.core.model.Pooling;
import org.reid.core.model.ReidNet;
import org.reid.core.model.ReidNetConfig;
import org.reid.registry.JdbcModelRegistry;
import org.reid.registry.ModelState;
import org.reid.registry.RegisteredModel;

/** {@code publish --registry JDBC_URL} against a real PostgreSQL 17 (embedded binaries). */
class PublishToPostgresTest {
    @TempDir
    Path dir;

    @Test
    void publishesAnArtifactAsACandidateWithItsMetrics() throws Exception {
        Path artifact = tinyArtifact("7");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            assertThat(TrainingJob.execute("publish", "--model", artifact.toString(), "--registry", url)).isZero();
            RegisteredModel m = JdbcModelRegistry.connect(url).find("reid-small-test", "7").orElseThrow();
            assertThat(m.state()).isEqualTo(ModelState.CANDIDATE);
            assertThat(m.metricsJson()).contains("\"mAP\": 0.4");
            assertThat(TrainingJob.execute("publish", "--model", artifact.toString(), "--registry", "mysql://x"))
                    .isEqualTo(2);
        }
    }

    @Test
    void anUnreachableRegistryIsOneLineAndExitTwo() throws Exception {
        Path artifact = tinyArtifact("8");
        // Nothing listens on port 1: one line naming the database (not the password), no stack trace.
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        try {
            assertThat(TrainingJob.execute("publish", "--model", artifact.toString(), "--registry",
                    "jdbc:postgresql://127.0.0.1:1/nowhere?user=u&password=secret")).isEqualTo(2);
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString()).contains("error: cannot open the registry at 127.0.0.1:1/nowhere")
                .doesNotContain("secret").doesNotContain("\tat ");
    }

    /** An untrained small network as an artifact named reid-small-test {@code version}. */
    private Path tinyArtifact(String version) throws Exception {
        Path artifact = dir.resolve("artifact-" + version);
        ReidNetConfig config = new ReidNetConfig(Backbone.SMALL, 0, Pooling.AVG, Neck.BNNECK, 0, 32, 16);
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            ReidNet net = new ReidNet(config);
            net.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 3, 32, 16));
            ModelArtifact.write(artifact, net, Manifest.of(
                    new Manifest.ModelInfo("reid-small-test", version, "2026-11-22T00:00:00Z"),
                    Manifest.Architecture.of(config, Preprocessing.imagenet(32, 16)),
                    new Manifest.Training("batch-hard", Map.of("margin", "0.3"), "synthetic", "abc", 1, 1, "cpu", "test"),
                    new Manifest.Evaluation("synthetic/query+gallery", 0.5, 0.7, 0.8, 0.4, 0.2)));
        }
        return artifact;
    }
}

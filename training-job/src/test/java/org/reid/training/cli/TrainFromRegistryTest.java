package org.reid.training.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reid.training.CliRun.stderrOf;
import static org.reid.training.CliRun.stdoutOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reid.core.data.DatasetReaders;
import org.reid.registry.JdbcModelRegistry;
import org.reid.registry.ModelState;
import org.reid.registry.RegistrySchema;
import org.reid.core.util.Sha256;
import org.reid.training.TrainingJob;

/** {@code train --from-registry JDBC_URL}: trains on the gallery of a real PostgreSQL 17 (embedded binaries). */
class TrainFromRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedPostgres postgres;
    private static String url;

    @TempDir
    Path dir;

    /** 20 identities, each seen by three cameras, three crops per camera. */
    @BeforeAll
    static void gallery() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        url = postgres.getJdbcUrl("postgres", "postgres");
        DataSource ds = postgres.getPostgresDatabase();
        RegistrySchema.migrate(ds);
        Random random = new Random(3);
        Instant t = Instant.parse("2026-11-01T08:00:00Z");
        try (Connection c = ds.getConnection();
                PreparedStatement identity = c.prepareStatement("insert into identity (label) values (?) returning id");
                PreparedStatement entry = c.prepareStatement("insert into gallery_entry (identity_id, sha256, camera_id, "
                        + "captured_at, source, content_type, width, height, image) "
                        + "values (?, ?, ?, ?, 'test', 'image/jpeg', 32, 64, ?)")) {
            for (int i = 0; i < 20; i++) {
                identity.setString(1, "person-" + i);
                long id;
                try (ResultSet rs = identity.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
                for (int camera = 0; camera < 3; camera++) {
                    for (int k = 0; k < 3; k++) {
                        byte[] jpeg = crop(i, camera, random);
                        entry.setLong(1, id);
                        entry.setString(2, Sha256.hex(jpeg));
                        entry.setInt(3, camera);
                        t = t.plusSeconds(1);
                        entry.setTimestamp(4, Timestamp.from(t));
                        entry.setBytes(5, jpeg);
                        entry.executeUpdate();
                    }
                }
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private static String[] train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--loss", "batch-hard", "--epochs", "1", "--p", "4",
                "--k", "4", "--height", "64", "--width", "32", "--lr", "1e-3", "--warmup-epochs", "0",
                "--eval-every", "1", "--val-identities", "2", "--device", "cpu", "--seed", "2",
                "--out", out.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void trainsOnTheGalleryAndNamesItInTheManifest() throws Exception {
        Path run = dir.resolve("run");
        assertThat(TrainingJob.execute(train(run, "--from-registry", url))).isZero();

        assertThat(run.resolve("artifact.zip")).isRegularFile();
        Path export = dir.resolve("run" + TrainCommand.GALLERY_DATASET_SUFFIX);
        assertThat(export.resolve("labels.csv")).isRegularFile();
        JsonNode training = JSON.readTree(run.resolve("artifact/manifest.json").toFile()).get("training");
        String expectedName = "gallery@localhost:" + postgres.getPort() + "/postgres";
        assertThat(training.toString()).contains(expectedName)
                .contains(DatasetReaders.read(export, "market1501").fingerprint())
                .doesNotContain("password");
    }

    @Test
    void aResumedRunTrainsOnTheExportItStartedWithThoughTheGalleryHasGrown() throws Exception {
        Path run = dir.resolve("run");
        assertThat(TrainingJob.execute(train(run, "--from-registry", url))).isZero();
        String labels = Files.readString(dir.resolve("run" + TrainCommand.GALLERY_DATASET_SUFFIX + "/labels.csv"));
        addIdentitySeenByTwoCameras("late-arrival");

        // A new export would hold the new identity, its fingerprint would differ and the resume be refused.
        String out = stdoutOf(() -> assertThat(TrainingJob.execute(train(run, "--from-registry", url, "--resume")))
                .isZero());
        assertThat(out).contains("--resume: training on the gallery export");
        assertThat(dir.resolve("run" + TrainCommand.GALLERY_DATASET_SUFFIX + "/labels.csv")).hasContent(labels);
    }

    /**
     * The scheduled retraining's start: {@code --init-from active} fine-tunes the registry's active
     * model and refuses when there is none; {@code active-or-scratch} then trains from random weights.
     */
    @Test
    void initFromActiveFineTunesTheActiveModelAndNeedsOne() throws Exception {
        JdbcModelRegistry registry = new JdbcModelRegistry(postgres.getPostgresDatabase());
        registry.list().stream().filter(m -> m.state() == ModelState.ACTIVE)
                .forEach(m -> registry.changeState(m.id(), ModelState.RETIRED, "test starts without an active model"));
        String err = stderrOf(() -> assertThat(TrainingJob.execute(train(dir.resolve("strict"), "--from-registry", url,
                "--init-from", "active"))).isEqualTo(2));
        assertThat(err).contains("--init-from active: the registry has no active model")
                .contains("--init-from active-or-scratch");
        assertThat(dir.resolve("strict" + TrainCommand.GALLERY_DATASET_SUFFIX)).doesNotExist();

        Path scratch = dir.resolve("scratch");
        String out = stdoutOf(() -> assertThat(TrainingJob.execute(train(scratch, "--from-registry", url,
                "--init-from", "active-or-scratch", "--model-name", "first", "--model-version", "1"))).isZero());
        assertThat(out).contains("no active model; training from random weights");
        assertThat(JSON.readTree(scratch.resolve("artifact/manifest.json").toFile()).at("/training/lossParameters")
                .has("initFrom")).isFalse();

        assertThat(TrainingJob.execute("publish", "--model", scratch.resolve("artifact.zip").toString(), "--registry",
                url)).isZero();
        registry.changeState(registry.find("first", "1").orElseThrow().id(), ModelState.ACTIVE, "test");
        Path tuned = dir.resolve("tuned");
        out = stdoutOf(() -> assertThat(TrainingJob.execute(train(tuned, "--from-registry", url, "--init-from",
                "active"))).isZero());
        assertThat(out).contains("fine-tuning the active model first:1");
        assertThat(dir.resolve("tuned" + TrainCommand.ACTIVE_MODEL_SUFFIX)).isRegularFile();
        assertThat(JSON.readTree(tuned.resolve("artifact/manifest.json").toFile())
                .at("/training/lossParameters/initFrom").asText()).isEqualTo("first:1");

        // The active model is a small network: a run asking for another backbone must not silently drop it.
        err = stderrOf(() -> assertThat(TrainingJob.execute(train(dir.resolve("other"), "--from-registry", url,
                "--init-from", "active", "--backbone", "resnet50"))).isEqualTo(2));
        assertThat(err).contains("--backbone resnet50 conflicts with --init-from active");
        registry.changeState(registry.find("first", "1").orElseThrow().id(), ModelState.RETIRED, "test done");
    }

    @Test
    void aFullRunFolderIsRefusedBeforeAnythingIsExported() throws Exception {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.json"), "{}");
        String err = stderrOf(() -> assertThat(TrainingJob.execute(train(run, "--from-registry", url))).isEqualTo(2));
        assertThat(err).contains("is not empty");
        assertThat(dir.resolve("run" + TrainCommand.GALLERY_DATASET_SUFFIX)).doesNotExist();
    }

    @Test
    void dataAndFromRegistryTogetherAreWrongUse() {
        String err = stderrOf(() -> assertThat(TrainingJob.execute(train(dir.resolve("run"), "--data",
                dir.toString(), "--from-registry", url))).isEqualTo(2));
        assertThat(err).contains("--data").contains("--from-registry").contains("mutually exclusive");

        String neither = stderrOf(() -> assertThat(TrainingJob.execute(train(dir.resolve("run")))).isEqualTo(2));
        assertThat(neither).contains("--data").contains("--from-registry");
    }

    @Test
    void aUrlThatIsNotPostgresIsWrongUse() {
        String err = stderrOf(() -> assertThat(TrainingJob.execute(train(dir.resolve("run"), "--from-registry",
                "jdbc:mysql://db/reid"))).isEqualTo(2));
        assertThat(err).contains("PostgreSQL JDBC URL");
    }

    private static void addIdentitySeenByTwoCameras(String label) throws Exception {
        Random random = new Random(label.hashCode());
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                PreparedStatement identity = c.prepareStatement("insert into identity (label) values (?) returning id");
                PreparedStatement entry = c.prepareStatement("insert into gallery_entry (identity_id, sha256, camera_id, "
                        + "captured_at, source, content_type, width, height, image) "
                        + "values (?, ?, ?, now(), 'test', 'image/jpeg', 32, 64, ?)")) {
            identity.setString(1, label);
            long id;
            try (ResultSet rs = identity.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            for (int camera = 0; camera < 2; camera++) {
                byte[] jpeg = crop(99, camera, random);
                entry.setLong(1, id);
                entry.setString(2, Sha256.hex(jpeg));
                entry.setInt(3, camera);
                entry.setBytes(4, jpeg);
                entry.executeUpdate();
            }
        }
    }

    /** A crop in the identity's colours, brightened per camera, with noise so that no two are equal. */
    private static byte[] crop(int identity, int camera, Random random) throws Exception {
        BufferedImage img = new BufferedImage(32, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        float shade = 0.6f + 0.15f * camera;
        g.setColor(Color.getHSBColor(identity * 0.13f % 1f, 0.8f, shade));
        g.fillRect(0, 0, 32, 32);
        g.setColor(Color.getHSBColor((identity * 0.41f + 0.5f) % 1f, 0.6f, shade));
        g.fillRect(0, 32, 32, 32);
        g.dispose();
        for (int i = 0; i < 64; i++) {
            img.setRGB(random.nextInt(32), random.nextInt(64), random.nextInt(0x1000000));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }
}

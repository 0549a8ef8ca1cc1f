package org.reid.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reid.core.csv.CsvReader;
import org.reid.core.csv.CsvRow;
import org.reid.core.data.DatasetReaders;
import org.reid.core.data.ReidDataset;
import org.reid.core.data.ReidImage;
import org.reid.core.util.Sha256;

/** {@link GalleryExport} against a real PostgreSQL 17 (embedded binaries), schema from the Flyway migrations. */
class GalleryExportTest {
    private static EmbeddedPostgres postgres;
    private static int databases;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    /**
     * Ten identities seen by two or three cameras (camera ids 0, 3 and 11: more than one digit), one
     * seen by camera 3 only and one without crops.
     */
    private static DataSource galleryWithTenQualifyingIdentities() throws Exception {
        DataSource ds = newGalleryDatabase();
        Random random = new Random(5);
        int[][] cameras = {{0, 3}, {0, 11}, {3, 11}, {0, 3, 11}};
        for (int i = 0; i < 10; i++) {
            long id = insertIdentity(ds, "person " + i + (i == 4 ? ", \"the tall one\"" : i == 7 ? "\nnight shift" : ""));
            int[] cams = cameras[i % cameras.length];
            for (int c = 0; c < cams.length; c++) {
                // Identity 1 has one crop per camera: a query needs a gallery crop from another camera.
                int crops = i == 1 ? 1 : 2 + (i + c) % 2;
                for (int k = 0; k < crops; k++) {
                    insertCrop(ds, id, cams[c], random);
                }
            }
        }
        long single = insertIdentity(ds, "seen once");
        insertCrop(ds, single, 3, random);
        insertCrop(ds, single, 3, random);
        insertIdentity(ds, "no crops yet");
        return ds;
    }

    @Test
    void writesAMarketLayoutThatTheReaderReads() throws Exception {
        DataSource ds = galleryWithTenQualifyingIdentities();
        Path out = dir.resolve("dataset");
        GalleryExport.Summary s = new GalleryExport(ds).exportTo(out);

        assertThat(s.testIdentities()).isEqualTo(2); // 20% of 10
        assertThat(s.trainIdentities()).isEqualTo(8);
        assertThat(s.cameras()).isEqualTo(3);
        assertThat(s.trainCrops() + s.queryCrops() + s.galleryCrops())
                .isEqualTo(count(ds, "select count(*) from gallery_entry e join identity i on i.id = e.identity_id "
                        + "where i.label not in ('seen once')"));
        assertThat(s.skipped()).extracting(GalleryExport.Skipped::label, GalleryExport.Skipped::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("seen once", "crops from one camera only (needs at least 2)"),
                        org.assertj.core.groups.Tuple.tuple("no crops yet", "no crops"));

        ReidDataset data = DatasetReaders.read(out, "auto");
        assertThat(data.name()).isEqualTo(DatasetReaders.MARKET1501);
        assertThat(data.train()).hasSize(s.trainCrops());
        assertThat(data.query()).hasSize(s.queryCrops());
        assertThat(data.gallery()).hasSize(s.galleryCrops());
        assertThat(data.numTrainIdentities()).isEqualTo(8);
        Set<Integer> testPids = data.query().stream().map(ReidImage::pid).collect(Collectors.toSet());
        assertThat(testPids).hasSize(2).doesNotContainAnyElementsOf(
                data.train().stream().map(ReidImage::pid).collect(Collectors.toSet()));
        // Camera ids survive as they are in the gallery, two digits included.
        TreeSet<Integer> camIds = Stream.of(data.train(), data.query(), data.gallery()).flatMap(List::stream)
                .map(ReidImage::camId).collect(Collectors.toCollection(TreeSet::new));
        assertThat(camIds).containsExactly(0, 3, 11);
        // Every query has a match from another camera in the gallery (the protocol ignores same-camera ones).
        for (ReidImage q : data.query()) {
            assertThat(data.gallery()).as(q.relativePath())
                    .anyMatch(g -> g.pid() == q.pid() && g.camId() != q.camId());
        }
        // Each test identity gives at most one query per camera.
        assertThat(data.query().stream().map(q -> q.pid() + "/" + q.camId()).distinct().count())
                .isEqualTo(data.query().size());
        // The files are the stored bytes and decode as images.
        for (ReidImage im : data.train()) {
            assertThat(ImageIO.read(im.path().toFile())).isNotNull();
        }
    }

    @Test
    void labelsMapEveryPidBackToItsIdentity() throws Exception {
        DataSource ds = galleryWithTenQualifyingIdentities();
        Path out = dir.resolve("dataset");
        new GalleryExport(ds).exportTo(out);

        List<CsvRow> rows = CsvReader.read(out.resolve(GalleryExport.LABELS_FILE));
        assertThat(rows.get(0).fields()).containsExactly("pid", "split", "identity_id", "label", "crops", "cameras");
        assertThat(rows).hasSize(11);
        // Identity 5 (the fifth inserted): cameras 0 and 3, 2 + 3 crops; its label needs quoting.
        assertThat(Files.readString(out.resolve(GalleryExport.LABELS_FILE)))
                .containsPattern("\n5,(train|test),5,\"person 4, \"\"the tall one\"\"\",5,2\n");
        // Free-text labels come back as stored, whatever the quoting needed (the writer's reader is ours).
        Map<Integer, String> labelOfPid = new TreeMap<>();
        for (CsvRow row : rows.subList(1, rows.size())) {
            labelOfPid.put(Integer.parseInt(row.get(0)), row.get(3));
        }
        assertThat(labelOfPid).containsEntry(5, "person 4, \"the tall one\"").containsEntry(8, "person 7\nnight shift")
                .containsEntry(1, "person 0");
        ReidDataset data = DatasetReaders.read(out, "market1501");
        Map<Integer, String> splitOfPid = new TreeMap<>();
        for (CsvRow row : rows.subList(1, rows.size())) {
            splitOfPid.put(Integer.parseInt(row.get(0)), row.get(1));
        }
        for (ReidImage im : data.train()) {
            assertThat(splitOfPid.get(im.pid())).isEqualTo("train");
        }
        for (ReidImage im : data.query()) {
            assertThat(splitOfPid.get(im.pid())).isEqualTo("test");
        }
        // The frame field of each name is the gallery_entry id, whose identity is the labelled one.
        ReidImage first = data.train().get(0);
        long entryId = Long.parseLong(first.path().getFileName().toString().split("_")[2]);
        assertThat(count(ds, "select identity_id from gallery_entry where id = " + entryId))
                .isEqualTo(first.pid()); // identities were inserted first, so their ids are the pids here
    }

    @Test
    void theSameGalleryGivesTheSameDataset() throws Exception {
        DataSource ds = galleryWithTenQualifyingIdentities();
        new GalleryExport(ds).exportTo(dir.resolve("a"));
        new GalleryExport(ds).exportTo(dir.resolve("b"));
        assertThat(DatasetReaders.read(dir.resolve("a"), "market1501").fingerprint())
                .isEqualTo(DatasetReaders.read(dir.resolve("b"), "market1501").fingerprint());
        assertThat(Files.readAllLines(dir.resolve("a/labels.csv"))).isEqualTo(Files.readAllLines(dir.resolve("b/labels.csv")));
    }

    @Test
    void theTestSplitIsAFifthOfTheIdentitiesChosenByHashAndAtLeastTwo() {
        List<Long> hundred = Stream.iterate(1L, i -> i + 1).limit(100).toList();
        TreeSet<Long> test = GalleryExport.testIdentities(hundred);
        assertThat(test).hasSize(20);
        assertThat(test).isNotEqualTo(new TreeSet<>(hundred.subList(0, 20))); // not simply the oldest
        assertThat(GalleryExport.testIdentities(List.of(1L, 2L, 3L, 4L))).hasSize(2);
        assertThat(GalleryExport.testIdentities(List.of(4L, 3L, 2L, 1L))).isEqualTo(GalleryExport.testIdentities(List.of(1L, 2L, 3L, 4L)));
    }

    @Test
    void aCameraKeepsItsOnlyCropInTheGalleryWhenTheGalleryWouldOtherwiseHoldOneCamera() {
        // Camera 1 has two crops, camera 2 one: querying both would leave camera 1 alone in the gallery.
        assertThat(GalleryExport.queryCameras(cams(1, 2, 2, 1))).containsExactly(1);
        assertThat(GalleryExport.queryCameras(cams(1, 1, 2, 1))).containsExactly(2);
        assertThat(GalleryExport.queryCameras(cams(1, 1, 2, 1, 3, 1))).containsExactly(2, 3);
        assertThat(GalleryExport.queryCameras(cams(1, 2, 2, 2, 3, 1))).containsExactly(1, 2, 3);
    }

    @Test
    void tooFewQualifyingIdentitiesIsRefusedSayingHowMany() throws Exception {
        DataSource ds = newGalleryDatabase();
        Random random = new Random(1);
        for (int i = 0; i < 3; i++) {
            long id = insertIdentity(ds, "p" + i);
            insertCrop(ds, id, 0, random);
            insertCrop(ds, id, 1, random);
        }
        insertCrop(ds, insertIdentity(ds, "one camera"), 0, random);
        assertThatThrownBy(() -> new GalleryExport(ds).exportTo(dir.resolve("out")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 of the gallery's 4 identities have crops from at least two cameras")
                .hasMessageContaining("at least 4");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aDatabaseWithoutGalleryTablesIsRefused() throws Exception {
        DataSource ds = newDatabase();
        assertThatThrownBy(() -> new GalleryExport(ds).exportTo(dir.resolve("out")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no gallery tables");
    }

    @Test
    void aNonEmptyTargetIsRefused() throws Exception {
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/keep.txt"), "mine");
        assertThatThrownBy(() -> new GalleryExport(newGalleryDatabase()).exportTo(dir.resolve("out")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not empty");
        assertThat(dir.resolve("out/keep.txt")).hasContent("mine");
    }

    @Test
    void describesTheDatabaseWithoutCredentials() {
        assertThat(GalleryExport.describe("jdbc:postgresql://db.example:5433/reid?user=reid&password=secret"))
                .isEqualTo("gallery@db.example:5433/reid");
        assertThatThrownBy(() -> GalleryExport.connect("jdbc:mysql://x/y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PostgreSQL JDBC URL");
    }

    private static Map<Integer, Integer> cams(int... cameraThenCrops) {
        Map<Integer, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < cameraThenCrops.length; i += 2) {
            m.put(cameraThenCrops[i], cameraThenCrops[i + 1]);
        }
        return m;
    }

    private static DataSource newDatabase() throws SQLException {
        String name = "gallery" + (++databases);
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        return postgres.getDatabase("postgres", name);
    }

    private static DataSource newGalleryDatabase() throws SQLException {
        DataSource ds = newDatabase();
        RegistrySchema.migrate(ds);
        return ds;
    }

    private static long insertIdentity(DataSource ds, String label) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into identity (label) values (?) returning id")) {
            ps.setString(1, label);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
    private static int crops;

    private static void insertCrop(DataSource ds, long identityId, int camera, Random random) throws Exception {
        byte[] jpeg = drawCrop(identityId, camera, random);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into gallery_entry (identity_id, sha256, camera_id, captured_at, source, content_type, width, "
                        + "height, image) values (?, ?, ?, ?, 'test', 'image/jpeg', 16, 32, ?)")) {
            ps.setLong(1, identityId);
            ps.setString(2, Sha256.hex(jpeg));
            ps.setInt(3, camera);
            ps.setTimestamp(4, Timestamp.from(T0.plusSeconds(++crops)));
            ps.setBytes(5, jpeg);
            ps.executeUpdate();
        }
    }

    /** A small JPEG: the identity's colours, the camera's brightness and noise, so that every crop differs. */
    private static byte[] drawCrop(long identityId, int camera, Random random) throws IOException {
        BufferedImage img = new BufferedImage(16, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        float shade = 0.6f + 0.1f * (camera % 4);
        g.setColor(Color.getHSBColor((identityId * 0.17f) % 1f, 0.8f, shade));
        g.fillRect(0, 0, 16, 16);
        g.setColor(Color.getHSBColor((identityId * 0.37f + 0.5f) % 1f, 0.6f, shade));
        g.fillRect(0, 16, 16, 16);
        g.dispose();
        for (int i = 0; i < 24; i++) {
            img.setRGB(random.nextInt(16), random.nextInt(32), random.nextInt(0x1000000));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    private static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

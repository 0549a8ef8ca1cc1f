package org.reid.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;
import org.reid.core.csv.CsvWriter;
import org.reid.core.data.BoundingBoxLayoutReader;
import org.reid.core.util.FileTrees;

/**
 * Writes the labelled crops of the service's gallery (tables {@code identity} and
 * {@code gallery_entry}) as a Market-1501 dataset, so that the training job trains on what the
 * service has stored.
 *
 * <p>Only identities with crops from at least two distinct cameras are exported: an identity seen
 * by one camera teaches nothing across cameras and cannot be a query in the cross-camera protocol.
 * The others are listed in {@link Summary#skipped()} with the reason.
 *
 * <p>The split is by identity and deterministic: identities are ranked by a hash of their id and
 * the first {@value #TEST_PERCENT}% (at least 2) are test identities; the rest train. For a test
 * identity, each camera gives its first crop (by {@code captured_at}, then id) to {@code query/}
 * and the rest go to {@code bounding_box_test/}, except that when the gallery would then hold one
 * camera only, the first single-crop camera keeps its crop in the gallery, so every query has a
 * match from another camera.
 *
 * <p>Names are {@code PPPP_cCs1_EEEEEE_00.jpg}: {@code PPPP} a consecutive pid from 1 (in order of
 * identity id; more than four digits past 9999, which {@link BoundingBoxLayoutReader} reads),
 * {@code C} the gallery's {@code camera_id + 1} (the reader's cameras start at 1, so
 * {@code ReidImage.camId()} equals the gallery's camera id; any number of cameras is kept) and
 * {@code EEEEEE} the {@code gallery_entry.id}, so each file traces back to its row.
 * {@value #LABELS_FILE} maps each pid to the identity's id and label; it is written last, so
 * its presence marks a complete export.
 *
 * <p>Everything is read in one read-only, repeatable-read transaction (ingestion running at the same
 * time does not make the plan and the rows disagree), and rows are streamed with a cursor: one
 * crop's bytes are in memory at a time, besides the driver's fetch buffer.
 */
public final class GalleryExport {
    /** The pid-to-identity table written beside the split folders. */
    public static final String LABELS_FILE = "labels.csv";
    /** Share of the qualifying identities held out for test. */
    public static final int TEST_PERCENT = 20;
    /** Fewest qualifying identities: 2 for test and 2 for train. */
    public static final int MIN_IDENTITIES = 4;

    private static final int MIN_TEST_IDENTITIES = 2;
    // Rows per round trip: 16 crops of even 200 kB (sent as hex text) stay a few MB of heap.
    private static final int FETCH_SIZE = 16;

    private final DataSource dataSource;

    /** Reads from {@code dataSource} as is; the schema is not migrated (this is a reader). */
    public GalleryExport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Reads from the PostgreSQL database at {@code jdbcUrl} (user and password may be URL parameters). */
    public static GalleryExport connect(String jdbcUrl) {
        requirePostgresUrl(jdbcUrl);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        return new GalleryExport(ds);
    }

    /**
     * A name for the data behind {@code jdbcUrl} for manifests and logs, without credentials:
     * {@code gallery@host:port/db}.
     */
    public static String describe(String jdbcUrl) {
        requirePostgresUrl(jdbcUrl);
        Properties p = Driver.parseURL(jdbcUrl, null);
        if (p == null) {
            throw new IllegalArgumentException("not a valid PostgreSQL JDBC URL: '" + jdbcUrl + "'");
        }
        return "gallery@" + p.getProperty("PGHOST") + ":" + p.getProperty("PGPORT") + "/" + p.getProperty("PGDBNAME");
    }

    /** An identity left out of the export, and why. */
    public record Skipped(long identityId, String label, String reason) {}

    /**
     * What an export wrote.
     *
     * @param root the dataset folder
     * @param trainIdentities identities in {@code bounding_box_train/}
     * @param testIdentities identities in {@code query/} and {@code bounding_box_test/}
     * @param trainCrops files in {@code bounding_box_train/}
     * @param queryCrops files in {@code query/}
     * @param galleryCrops files in {@code bounding_box_test/}
     * @param cameras distinct cameras among the exported crops
     * @param skipped identities not exported, in order of id
     */
    public record Summary(Path root, int trainIdentities, int testIdentities, int trainCrops, int queryCrops,
            int galleryCrops, int cameras, List<Skipped> skipped) {
        public Summary {
            skipped = List.copyOf(skipped);
        }

        /** One line for logs. */
        public String describe() {
            return String.format("%d identities (%d train, %d test), %d crops (train %d, query %d, gallery %d), "
                    + "%d cameras; %d identities skipped", trainIdentities + testIdentities, trainIdentities,
                    testIdentities, trainCrops + queryCrops + galleryCrops, trainCrops, queryCrops, galleryCrops,
                    cameras, skipped.size());
        }
    }

    /**
     * Writes the dataset into {@code dir}, which must be absent or empty. On failure what was written
     * is removed again.
     *
     * @throws IllegalArgumentException when the database has no gallery tables, when fewer than
     *     {@value #MIN_IDENTITIES} identities qualify, or when {@code dir} is not empty
     * @throws RegistryException when the database fails
     */
    public Summary exportTo(Path dir) {
        requireEmptyDirectory(dir);
        boolean created = !Files.exists(dir);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a cursor only inside a transaction
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                requireGalleryTables(c);
                Plan plan = plan(c);
                Summary summary = write(c, plan, dir);
                c.commit();
                return summary;
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                removeWritten(dir, created);
                throw e;
            }
        } catch (SQLException e) {
            throw new RegistryException("could not export the gallery: " + e.getMessage(), e);
        }
    }

    /** A qualifying identity: its pid, split and the cameras whose first crop is a query. */
    private record Planned(long id, String label, int pid, boolean test, int crops, TreeSet<Integer> cameras,
            TreeSet<Integer> queryCameras) {}

    private record Plan(Map<Long, Planned> byId, List<Skipped> skipped) {}

    private static void requireGalleryTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select to_regclass('identity') is not null and "
                        + "to_regclass('gallery_entry') is not null")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new IllegalArgumentException("the database " + c.getCatalog() + " has no gallery tables "
                        + "(identity, gallery_entry): is it the service's database, and has the service started on "
                        + "it once (it creates them)?");
            }
        }
    }

    /** Crops per identity and camera (small: one row per pair), and from them the split. */
    private static Plan plan(Connection c) throws SQLException {
        Map<Long, String> labels = new LinkedHashMap<>();
        Map<Long, Map<Integer, Integer>> cropsPerCamera = new HashMap<>();
        String sql = "select i.id, i.label, e.camera_id, count(e.id) from identity i "
                + "left join gallery_entry e on e.identity_id = i.id "
                + "group by i.id, i.label, e.camera_id order by i.id, e.camera_id";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                long id = rs.getLong(1);
                labels.put(id, rs.getString(2));
                Map<Integer, Integer> cams = cropsPerCamera.computeIfAbsent(id, k -> new LinkedHashMap<>());
                int camera = rs.getInt(3);
                if (!rs.wasNull()) {
                    if (camera == Integer.MAX_VALUE) {
                        throw new IllegalArgumentException("identity " + id + " has a crop from camera " + camera
                                + ", which the dataset's names cannot carry (camera + 1 overflows)");
                    }
                    cams.put(camera, rs.getInt(4));
                }
            }
        }
        List<Long> qualifying = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Map.Entry<Long, String> e : labels.entrySet()) {
            int cameras = cropsPerCamera.get(e.getKey()).size();
            if (cameras >= 2) {
                qualifying.add(e.getKey());
            } else {
                skipped.add(new Skipped(e.getKey(), e.getValue(), cameras == 0 ? "no crops"
                        : "crops from one camera only (needs at least 2)"));
            }
        }
        if (qualifying.size() < MIN_IDENTITIES) {
            throw new IllegalArgumentException(qualifying.size() + " of the gallery's " + labels.size()
                    + " identities have crops from at least two cameras; an export needs at least " + MIN_IDENTITIES
                    + " (" + MIN_TEST_IDENTITIES + " for test, the rest for training)");
        }
        TreeSet<Long> test = testIdentities(qualifying);
        Map<Long, Planned> byId = new LinkedHashMap<>();
        int pid = 0;
        for (long id : qualifying) {
            Map<Integer, Integer> cams = cropsPerCamera.get(id);
            boolean isTest = test.contains(id);
            int crops = cams.values().stream().mapToInt(Integer::intValue).sum();
            byId.put(id, new Planned(id, labels.get(id), ++pid, isTest, crops, new TreeSet<>(cams.keySet()),
                    isTest ? queryCameras(cams) : new TreeSet<>()));
        }
        return new Plan(byId, skipped);
    }

    /** The test identities: the first {@value #TEST_PERCENT}% (at least 2) in order of a hash of the id. */
    static TreeSet<Long> testIdentities(List<Long> ids) {
        int count = Math.max(MIN_TEST_IDENTITIES, Math.round(ids.size() * TEST_PERCENT / 100f));
        List<Long> ranked = new ArrayList<>(ids);
        // A hash, not the id itself: the newest (or oldest) identities are not a fair test set.
        ranked.sort(Comparator.<Long>comparingLong(id -> mix(id)).thenComparingLong(id -> id));
        return new TreeSet<>(ranked.subList(0, count));
    }

    /** SplitMix64's finaliser: spreads consecutive ids over the whole range. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }

    /**
     * The cameras whose first crop becomes a query: all of them, unless the gallery would then hold
     * one camera only (or none); then the first single-crop camera keeps its crop in the gallery.
     */
    static TreeSet<Integer> queryCameras(Map<Integer, Integer> cropsPerCamera) {
        TreeSet<Integer> cameras = new TreeSet<>(cropsPerCamera.keySet());
        long galleryCameras = cropsPerCamera.values().stream().filter(n -> n >= 2).count();
        if (galleryCameras < 2) {
            cropsPerCamera.entrySet().stream().filter(e -> e.getValue() == 1).map(Map.Entry::getKey)
                    .min(Integer::compare).ifPresent(cameras::remove);
        }
        return cameras;
    }

    private static Summary write(Connection c, Plan plan, Path dir) throws SQLException {
        Path train = createDirectories(dir.resolve(BoundingBoxLayoutReader.TRAIN_DIR));
        Path query = createDirectories(dir.resolve(BoundingBoxLayoutReader.QUERY_DIR));
        Path gallery = createDirectories(dir.resolve(BoundingBoxLayoutReader.GALLERY_DIR));
        int trainCrops = 0;
        int queryCrops = 0;
        int galleryCrops = 0;
        TreeSet<Integer> cameras = new TreeSet<>();
        String sql = "select e.id, e.identity_id, e.camera_id, e.content_type, e.image from gallery_entry e "
                + "where e.identity_id in (select identity_id from gallery_entry group by identity_id "
                + "having count(distinct camera_id) >= 2) "
                + "order by e.identity_id, e.camera_id, e.captured_at, e.id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                long lastIdentity = -1;
                int lastCamera = -1;
                while (rs.next()) {
                    long entryId = rs.getLong(1);
                    long identityId = rs.getLong(2);
                    int camera = rs.getInt(3);
                    Planned p = plan.byId().get(identityId);
                    boolean firstOfCamera = identityId != lastIdentity || camera != lastCamera;
                    lastIdentity = identityId;
                    lastCamera = camera;
                    String name = String.format("%04d_c%ds1_%06d_00.%s", p.pid(), camera + 1, entryId,
                            extension(rs.getString(4)));
                    Path target;
                    if (!p.test()) {
                        target = train;
                        trainCrops++;
                    } else if (firstOfCamera && p.queryCameras().contains(camera)) {
                        target = query;
                        queryCrops++;
                    } else {
                        target = gallery;
                        galleryCrops++;
                    }
                    cameras.add(camera);
                    writeBytes(target.resolve(name), rs.getBytes(5));
                }
            }
        }
        writeLabels(dir, plan);
        int testIds = (int) plan.byId().values().stream().filter(Planned::test).count();
        return new Summary(dir, plan.byId().size() - testIds, testIds, trainCrops, queryCrops, galleryCrops,
                cameras.size(), plan.skipped());
    }

    private static String extension(String contentType) {
        // The loader decodes by content (ImageIO); the name only has to be one the reader accepts.
        return "image/png".equalsIgnoreCase(contentType) ? "png" : "jpg";
    }

    private static void writeLabels(Path dir, Plan plan) {
        Path tmp = dir.resolve(LABELS_FILE + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8); CsvWriter csv = new CsvWriter(w)) {
            csv.row("pid", "split", "identity_id", "label", "crops", "cameras");
            for (Planned p : plan.byId().values()) {
                // labels are free text: the writer quotes them as RFC 4180 says
                csv.row(p.pid(), p.test() ? "test" : "train", p.id(), p.label(), p.crops(), p.cameras().size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.move(tmp, dir.resolve(LABELS_FILE), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requirePostgresUrl(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("the gallery must be a PostgreSQL JDBC URL "
                    + "(jdbc:postgresql://host:port/db), got '" + jdbcUrl + "'");
        }
    }

    private static void requireEmptyDirectory(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("export target " + dir + " is not a directory");
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                throw new IllegalArgumentException("export target " + dir + " is not empty");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBytes(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the export's files (and {@code dir} itself when the export created it). */
    private static void removeWritten(Path dir, boolean created) {
        try {
            if (created) {
                FileTrees.deleteRecursively(dir);
            } else {
                FileTrees.deleteContents(dir);
            }
        } catch (IOException e) {
            // Best effort: the original failure is the one to report; a missing labels.csv marks it incomplete.
        }
    }
}

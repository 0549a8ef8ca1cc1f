package org.reid.benchmarks.load;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.reid.core.model.Embedder;
import org.reid.core.model.ModelArtifact;

/**
 * Seeds a large gallery straight into the service's PostgreSQL (binary COPY, one transaction), for
 * the REST load benchmark. The schema and the active model must exist (start and stop the service
 * once first); the gallery must be empty.
 *
 * <pre>
 * java -cp benchmarks.jar org.reid.benchmarks.load.GallerySeeder JDBC_URL MODEL_ZIP WORK_DIR [ENTRIES [IDENTITIES_RENDERED]]
 * </pre>
 * WORK_DIR receives the rendered dataset; its {@code query/} crops are the load test's queries.
 */
public final class GallerySeeder {
    private static final int PER_IDENTITY = 10;
    private static final long SEED = 20261122L;

    private GallerySeeder() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: GallerySeeder JDBC_URL MODEL_ZIP WORK_DIR [ENTRIES=100000 [IDENTITIES_RENDERED=300]]");
            System.exit(2);
        }
        String url = args[0];
        Path model = Path.of(args[1]);
        Path work = Path.of(args[2]);
        int total = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
        int rendered = args.length > 4 ? Integer.parseInt(args[4]) : 300;

        long t0 = System.nanoTime();
        Path dataset = Files.exists(work.resolve("synth.json")) ? work : RealCrops.generate(work, rendered, PER_IDENTITY, SEED);
        List<Path> files = RealCrops.files(dataset, "bounding_box_train", "bounding_box_test");
        long t1 = System.nanoTime();
        List<RealCrops.Crop> crops;
        try (Embedder embedder = ModelArtifact.load(model)) {
            crops = RealCrops.embed(embedder, files, 32);
        }
        long t2 = System.nanoTime();
        GalleryPlan plan = new GalleryPlan(crops, total, PER_IDENTITY, SEED);
        System.out.printf("rendered %d real crops in %.1f s, embedded them (%d-d) in %.1f s; plan: %d identities, %d entries%n",
                crops.size(), (t1 - t0) / 1e9, crops.get(0).embedding().length, (t2 - t1) / 1e9,
                plan.identityLabels.size(), plan.entries.size());

        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            c.setAutoCommit(false);
            long modelVersion = activeModel(c);
            requireEmptyGallery(c);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            long t3 = System.nanoTime();
            copyIn(copy, "copy identity (id, label) from stdin (format binary)", out -> {
                try (PgBinaryCopy w = new PgBinaryCopy(out)) {
                    for (int i = 0; i < plan.identityLabels.size(); i++) {
                        w.row(2).int8(i + 1L).text(plan.identityLabels.get(i));
                    }
                }
            });
            copyIn(copy, "copy gallery_entry (id, identity_id, sha256, camera_id, captured_at, source, content_type, "
                    + "width, height, image) from stdin (format binary)", out -> {
                try (PgBinaryCopy w = new PgBinaryCopy(out)) {
                    for (GalleryPlan.Entry e : plan.entries) {
                        RealCrops.Crop crop = plan.crops.get(e.crop());
                        w.row(10).int8(e.id()).int8(e.identityId()).text(plan.sha256(e)).int4(e.camera())
                                .timestamptz(e.capturedAt()).text(plan.isReal(e) ? "bench:real" : "bench:clone")
                                .text("image/jpeg").int4(crop.width()).int4(crop.height()).bytes(crop.jpeg());
                    }
                }
            });
            copyIn(copy, "copy embedding (entry_id, model_version_id, vector) from stdin (format binary)", out -> {
                try (PgBinaryCopy w = new PgBinaryCopy(out)) {
                    for (GalleryPlan.Entry e : plan.entries) {
                        w.row(3).int8(e.id()).int8(modelVersion).bytes(GalleryPlan.littleEndian(plan.vector(e)));
                    }
                }
            });
            try (Statement s = c.createStatement()) {
                s.execute("select setval('identity_id_seq', (select max(id) from identity))");
                s.execute("select setval('gallery_entry_id_seq', (select max(id) from gallery_entry))");
            }
            c.commit();
            try (Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                s.execute("analyze identity");
                s.execute("analyze gallery_entry");
                s.execute("analyze embedding");
            }
            System.out.printf("copied %d identities, %d entries, %d embeddings (model version %d) in %.1f s%n",
                    plan.identityLabels.size(), plan.entries.size(), plan.entries.size(), modelVersion,
                    (System.nanoTime() - t3) / 1e9);
        }
    }

    interface CopyBody {
        void write(OutputStream out) throws Exception;
    }

    /** Streams a COPY body from a writer thread into the server. */
    private static void copyIn(CopyManager copy, String sql, CopyBody body) throws Exception {
        PipedInputStream in = new PipedInputStream(1 << 20);
        PipedOutputStream out = new PipedOutputStream(in);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (out) {
                body.write(out);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long rows = copy.copyIn(sql, in);
        writer.join();
        System.out.printf("  %s: %d rows%n", sql.substring(5, sql.indexOf('(')).trim(), rows);
    }

    private static long activeModel(Connection c) throws Exception {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id from model_version where state = 'active'")) {
            if (!rs.next()) {
                throw new IllegalStateException("no active model: start the service once to create the schema and model");
            }
            return rs.getLong(1);
        }
    }

    private static void requireEmptyGallery(Connection c) throws Exception {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select (select count(*) from identity) + (select count(*) from gallery_entry)")) {
            rs.next();
            if (rs.getLong(1) != 0) {
                throw new IllegalStateException("the gallery is not empty: seed a fresh data dir");
            }
        }
    }
}

package org.reid.benchmarks.load;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.reid.core.util.Sha256;

/**
 * A large gallery grown from real crops. Every real crop is an entry of its own identity; the rest
 * are synthetic identities of {@code perIdentity} entries, each cloned from one real identity:
 * entry = a real crop's embedding of that identity + one offset shared by the synthetic identity
 * (N(0, (0.5 s_b)^2) per dimension, s_b the spread of real identity means) + per-entry noise
 * (N(0, (0.1 s_w)^2), s_w the real within-identity spread). The clusters thus keep the real
 * within-identity structure and sit apart like real identities do, unlike Gaussian noise.
 */
final class GalleryPlan {
    /** One gallery row. {@code crop} indexes the real crops whose JPEG it stores. */
    record Entry(long id, long identityId, int crop, int camera, Instant capturedAt) {}

    static final Instant MONTH_START = Instant.parse("2026-10-01T00:00:00Z");
    private static final long MONTH_SECONDS = Duration.ofDays(30).toSeconds();

    final List<RealCrops.Crop> crops;
    final List<String> identityLabels = new ArrayList<>();   // identity id = index + 1
    final List<Entry> entries = new ArrayList<>();           // entry id = index + 1
    private final Map<Long, float[]> offsetOfIdentity = new LinkedHashMap<>();
    private final float withinNoise;
    private final long seed;

    GalleryPlan(List<RealCrops.Crop> crops, int total, int perIdentity, long seed) {
        this.crops = crops;
        this.seed = seed;
        Map<String, List<Integer>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < crops.size(); i++) {
            byLabel.computeIfAbsent(crops.get(i).label(), k -> new ArrayList<>()).add(i);
        }
        Spread spread = Spread.of(crops, byLabel);
        this.withinNoise = (float) (0.1 * spread.within());
        SplittableRandom random = new SplittableRandom(seed);
        for (Map.Entry<String, List<Integer>> real : byLabel.entrySet()) {
            long identity = addIdentity(real.getKey());
            for (int crop : real.getValue()) {
                addEntry(identity, crop, random);
            }
        }
        List<List<Integer>> realIdentities = new ArrayList<>(byLabel.values());
        int dim = crops.get(0).embedding().length;
        while (entries.size() < total) {
            long identity = addIdentity(String.format("s%06d", identityLabels.size() + 1));
            float[] offset = new float[dim];
            for (int d = 0; d < dim; d++) {
                offset[d] = (float) (random.nextGaussian() * 0.5 * spread.between());
            }
            offsetOfIdentity.put(identity, offset);
            List<Integer> source = realIdentities.get(random.nextInt(realIdentities.size()));
            for (int k = 0; k < perIdentity && entries.size() < total; k++) {
                addEntry(identity, source.get(k % source.size()), random);
            }
        }
    }

    private long addIdentity(String label) {
        identityLabels.add(label);
        return identityLabels.size();
    }

    private void addEntry(long identity, int crop, SplittableRandom random) {
        Instant at = MONTH_START.plusSeconds(random.nextLong(MONTH_SECONDS));
        entries.add(new Entry(entries.size() + 1L, identity, crop, crops.get(crop).camera(), at));
    }

    boolean isReal(Entry e) {
        return !offsetOfIdentity.containsKey(e.identityId());
    }

    /** The entry's embedding: its crop's own for a real identity, the clone rule above otherwise. */
    float[] vector(Entry e) {
        float[] base = crops.get(e.crop()).embedding();
        float[] offset = offsetOfIdentity.get(e.identityId());
        if (offset == null) {
            return base;
        }
        SplittableRandom noise = new SplittableRandom(seed ^ (e.id() * 0x9E3779B97F4A7C15L));
        float[] v = new float[base.length];
        for (int d = 0; d < v.length; d++) {
            v[d] = base[d] + offset[d] + (float) noise.nextGaussian() * withinNoise;
        }
        return v;
    }

    /**
     * The stored sha256: of the JPEG for a real entry; for a cloned entry, of the JPEG followed by
     * the entry id as 8 big-endian bytes, because clones reuse a real crop's bytes and the column is
     * unique. Such a value is not the digest of the stored bytes (only duplicate detection reads it).
     */
    String sha256(Entry e) {
        byte[] jpeg = crops.get(e.crop()).jpeg();
        return isReal(e) ? Sha256.hex(jpeg) : Sha256.hex(jpeg, ByteBuffer.allocate(8).putLong(e.id()).array());
    }

    static byte[] littleEndian(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    /** Mean per-dimension standard deviation between identity means, and within identities. */
    record Spread(double between, double within) {
        static Spread of(List<RealCrops.Crop> crops, Map<String, List<Integer>> byLabel) {
            int dim = crops.get(0).embedding().length;
            List<double[]> means = new ArrayList<>();
            double withinSq = 0;
            long withinN = 0;
            for (List<Integer> members : byLabel.values()) {
                double[] mean = new double[dim];
                for (int i : members) {
                    float[] v = crops.get(i).embedding();
                    for (int d = 0; d < dim; d++) {
                        mean[d] += v[d] / members.size();
                    }
                }
                for (int i : members) {
                    float[] v = crops.get(i).embedding();
                    for (int d = 0; d < dim; d++) {
                        withinSq += (v[d] - mean[d]) * (v[d] - mean[d]);
                    }
                    withinN += dim;
                }
                means.add(mean);
            }
            double[] grand = new double[dim];
            for (double[] m : means) {
                for (int d = 0; d < dim; d++) {
                    grand[d] += m[d] / means.size();
                }
            }
            double betweenSq = 0;
            for (double[] m : means) {
                for (int d = 0; d < dim; d++) {
                    betweenSq += (m[d] - grand[d]) * (m[d] - grand[d]);
                }
            }
            return new Spread(Math.sqrt(betweenSq / ((double) means.size() * dim)), Math.sqrt(withinSq / withinN));
        }
    }
}

package org.reid.service.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.reid.index.StoredBytes;
import org.reid.service.support.Api;
import org.reid.service.support.Keys;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestImages;
import org.reid.service.support.TestModels;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Model lifecycle on a service of its own: upload, a switch under concurrent searches (no errors,
 * each answer from one version, the old version until the swap and the new one after), crops
 * ingested during the switch in both indexes, and the promotion gate rejecting a candidate that
 * does not beat the active model while leaving the active model untouched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelLifecycleTest {
    private static ConfigurableApplicationContext service;
    private static Api api;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() throws Exception {
        service = ServiceInstance.start(Files.createTempDirectory("reid-lifecycle"));
        api = ServiceInstance.api(service);
        jdbc = service.getBean(JdbcTemplate.class);
        List<Path> crops = TestCrops.gallery();
        List<Api.Part> parts = new ArrayList<>();
        for (Path p : crops) {
            parts.add(Api.Part.file("files", p.getFileName().toString(), TestCrops.bytes(p)));
        }
        parts.add(Api.Part.field("manifest", Api.manifestOf(crops)));
        Api.Response r = api.postMultipart("/api/v1/gallery/batches", Keys.ADMIN, parts);
        api.awaitBatch(r.headers().firstValue("Location").orElseThrow(), Keys.ADMIN);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    private static JsonNode search(Path query) {
        Api.Response r = api.postMultipart("/api/v1/search", Keys.ADMIN,
                List.of(Api.Part.file("image", "q.jpg", TestCrops.bytes(query)), Api.Part.field("topK", "5")));
        if (r.status() != 200) {
            throw new AssertionError("search answered " + r.status() + ": " + r.text());
        }
        return r.json();
    }

    /**
     * The candidate's mAP gain over the active model on the gate's validation split, measured here
     * without the gate, so a gate that scored one model twice (gain 0) fails the tests that use it.
     */
    private static double independentGain(long candidateId) {
        org.reid.registry.RegisteredModel candidate = service.getBean(org.reid.registry.ModelRegistry.class).list()
                .stream().filter(m -> m.id() == candidateId).findFirst().orElseThrow();
        GalleryValidation validation = service.getBean(GalleryValidation.class);
        org.reid.service.serving.ActiveModel active = service.getBean(org.reid.service.serving.ActiveModel.class);
        GalleryValidation.Split split = validation.split(
                service.getBean(org.reid.service.config.ReidProperties.class).getPromotion().getValidationIdentities(), 10);
        org.reid.service.serving.ServingModel current = active.acquire();
        try (org.reid.service.serving.ServingModel scored = active.openWithoutIndex(candidate)) {
            double gain = validation.evaluate(scored, split).mAP() - validation.evaluate(current, split).mAP();
            System.out.printf("candidate %d: mAP gain %+.4f over %s%n", candidateId, gain, current.label());
            assertThat(Math.abs(gain)).as("the candidate must score differently from the active model").isGreaterThan(5e-4);
            return gain;
        } finally {
            current.release();
        }
    }

    private static String gainText(double gain) {
        return String.format(java.util.Locale.ROOT, "gain %+.4f", gain);
    }

    private static String firstLabelOtherThan(JsonNode answer, String label) {
        for (JsonNode identity : answer.get("identities")) {
            if (!identity.get("label").asText().equals(label)) {
                return identity.get("label").asText();
            }
        }
        return null;
    }

    /** Each ranked identity as "label score", the score to two decimals. */
    private static List<String> ranking(JsonNode answer) {
        List<String> ranking = new ArrayList<>();
        for (JsonNode identity : answer.get("identities")) {
            ranking.add(identity.get("label").asText() + " " + String.format("%.2f", identity.get("score").asDouble()));
        }
        return ranking;
    }

    private static long upload(String version, float scale) {
        return upload(version, TestModels.variant(version, scale));
    }

    private static long upload(String version, byte[] artifact) {
        Api.Response r = api.postMultipart("/api/v1/models", Keys.ADMIN,
                List.of(Api.Part.file("artifact", "v" + version + ".zip", artifact)));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.json().get("state").asText()).isEqualTo("candidate");
        return r.json().get("id").asLong();
    }


    @Test
    @Order(1)
    void brokenOrRepeatedUploadsAreRefusedWithNothingStored() {
        long models = jdbc.queryForObject("select count(*) from model_version", Long.class);
        Api.Response garbage = api.postMultipart("/api/v1/models", Keys.ADMIN,
                List.of(Api.Part.file("artifact", "x.zip", TestImages.text())));
        assertThat(garbage.status()).isEqualTo(422);
        assertThat(garbage.json().get("field").asText()).isEqualTo("artifact");
        // the answer names the upload, never the server's temporary file
        assertThat(garbage.json().get("detail").asText()).as(garbage.text()).contains("the upload")
                .doesNotContain(System.getProperty("java.io.tmpdir"));
        Api.Response demoAgain = api.postMultipart("/api/v1/models", Keys.ADMIN,
                List.of(Api.Part.file("artifact", "demo.zip", TestCrops.bytes(TestModels.DEMO))));
        assertThat(demoAgain.status()).isEqualTo(409);
        assertThat(jdbc.queryForObject("select count(*) from model_version", Long.class)).isEqualTo(models);
    }

    @Test
    @Order(2)
    void aSwitchUnderConcurrentSearchesNeverMixesVersions() throws Exception {
        Path query = TestCrops.queries().get(0);
        JsonNode v1 = search(query);
        assertThat(v1.get("model").get("version").asText()).isEqualTo("4");
        long v2id = upload("5", 1.5f);

        List<JsonNode> answers = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> searchers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread th = new Thread(() -> {
                while (running.get()) {
                    try {
                        answers.add(search(query));
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }
            });
            th.start();
            searchers.add(th);
        }
        Api.Response started = api.postMultipart("/api/v1/models/" + v2id + "/activate", Keys.ADMIN, List.of());
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        assertThat(api.postMultipart("/api/v1/models/" + v2id + "/activate", Keys.ADMIN, List.of()).status()).isEqualTo(409);
        // crops ingested while the switch runs must reach both indexes; sent once the switch has
        // counted the gallery, so that they also test that its progress counts them at the end
        org.awaitility.Awaitility.await("the switch counted the gallery").atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> api.get("/api/v1/models/switch", Keys.ADMIN).json().path("total").asInt() > 0);
        Path crop = TestCrops.gallery().get(2);
        Api.Response during = api.postMultipart("/api/v1/gallery/batches", Keys.ADMIN, List.of(
                Api.Part.file("files", "d1.png", TestImages.variant(crop, 1001)),
                Api.Part.file("files", "d2.png", TestImages.variant(crop, 1002)),
                Api.Part.field("manifest", "file,identity,camera\nd1.png,during,1\nd2.png,during,2\n")));
        api.awaitBatch(during.headers().firstValue("Location").orElseThrow(), Keys.ADMIN);
        JsonNode done = api.awaitSwitch(Keys.ADMIN);
        int answeredBySwap = answers.size();
        // the searchers keep going past the swap: a few answers must come from after it
        org.awaitility.Awaitility.await("searches after the swap").atMost(java.time.Duration.ofSeconds(60))
                .until(() -> answers.size() >= answeredBySwap + 6 || !errors.isEmpty());
        running.set(false);
        for (Thread th : searchers) {
            th.join();
        }

        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("DONE");
        // its progress counts the gallery at the end, the crops ingested during the switch included
        assertThat(done.get("embedded").asLong()).as(done.toString()).isEqualTo(done.get("total").asLong())
                .isEqualTo(jdbc.queryForObject("select count(*) from gallery_entry", Long.class));
        assertThat(errors).as("search errors during the switch").isEmpty();
        JsonNode v2 = search(query);
        assertThat(v2.get("model").get("version").asText()).isEqualTo("5");
        assertThat(v2.get("identities")).isNotEqualTo(v1.get("identities"));
        boolean sawV2 = false;
        for (JsonNode a : answers) {
            String version = a.get("model").get("version").asText();
            if (version.equals("5")) {
                sawV2 = true;
                // The same ranking; the order of near-tied entries inside an identity may differ in the
                // last float bits between micro-batches of different sizes, so scores are compared rounded.
                assertThat(ranking(a)).isEqualTo(ranking(v2));
            } else {
                assertThat(version).isEqualTo("4");
                // Crops ingested during the switch reach the old index too, and they are variants of a
                // gallery crop of the query's person, so they may rank first: the best other identity
                // must be the one the old version named before the switch.
                assertThat(firstLabelOtherThan(a, "during")).isEqualTo(firstLabelOtherThan(v1, "during"));
            }
        }
        assertThat(sawV2).isTrue();
        JsonNode models = api.get("/api/v1/models", Keys.ADMIN).json();
        for (JsonNode m : models) {
            if (m.get("id").asLong() == v2id) {
                assertThat(m.get("state").asText()).isEqualTo("active");
            } else if (m.get("version").asText().equals("4")) {
                assertThat(m.get("state").asText()).isEqualTo("retired");
            }
        }
        long entries = jdbc.queryForObject("select count(*) from gallery_entry", Long.class);
        assertThat(jdbc.queryForObject("select count(*) from embedding where model_version_id = ?", Long.class, v2id))
                .isEqualTo(entries);
        JsonNode index = api.get("/actuator/health", Keys.ADMIN).json().get("components").get("index").get("details");
        assertThat(index.get("entries").asLong()).isEqualTo(entries);
        // the retired version's index files go once its last request is done: they would keep crops
        // erased from now on (it is rebuilt from PostgreSQL if it serves again)
        long v1id = jdbc.queryForObject("select id from model_version where version = '4'", Long.class);
        java.nio.file.Path indexes = service.getBean(org.reid.service.config.ReidProperties.class).getDataDir()
                .toAbsolutePath().resolve("index");
        org.awaitility.Awaitility.await("the retired version's index deleted").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> !java.nio.file.Files.exists(indexes.resolve("model-" + v1id)));
        assertThat(indexes.resolve("model-" + v2id)).isDirectory();
        erasingAfterTheSwitchLeavesNoTraceInTheServicesFiles(List.of(TestImages.variant(crop, 1001),
                TestImages.variant(crop, 1002)));
    }

    /**
     * The identity ingested during the switch has crops and vectors of both versions. Erased after
     * the switch, no file the service writes outside PostgreSQL's own (whose dead rows docs/service.md
     * accounts for) holds a crop's sha256 or bytes or a vector: the serving version's index is
     * purged, and the retired version's index folder is gone already (asserted above).
     */
    private static void erasingAfterTheSwitchLeavesNoTraceInTheServicesFiles(List<byte[]> crops) throws Exception {
        List<byte[]> needles = new ArrayList<>();
        for (byte[] crop : crops) {
            needles.add(java.util.Arrays.copyOfRange(crop, crop.length / 2, crop.length / 2 + 48));
        }
        long identity = jdbc.queryForObject("select id from identity where label = 'during'", Long.class);
        org.reid.service.serving.ActiveModel active = service.getBean(org.reid.service.serving.ActiveModel.class);
        for (java.util.Map<String, Object> row : jdbc.queryForList("select id, sha256 from gallery_entry where identity_id = ?",
                identity)) {
            needles.add(((String) row.get("sha256")).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            float[] v = active.current().index().vector((Long) row.get("id")).orElseThrow();
            needles.add(StoredBytes.littleEndian(java.util.Arrays.copyOf(v, 8))); // as the index stores them
        }
        assertThat(needles).hasSize(2 + 2 * 2); // two crops, each with its sha256 and its vector of the serving version
        java.nio.file.Path dataDir = service.getBean(org.reid.service.config.ReidProperties.class).getDataDir().toAbsolutePath();
        assertThat(filesHolding(dataDir, needles)).as("traces before the erasure (the test can see them)").isNotEmpty();

        assertThat(api.delete("/api/v1/identities/" + identity, Keys.ADMIN).status()).isEqualTo(204);
        assertThat(filesHolding(dataDir, needles)).as("files outside PostgreSQL's holding a trace of the erased identity")
                .isEmpty();
    }

    /** The files under {@code dir}, PostgreSQL's data directory aside, that contain any of {@code needles}. */
    private static List<String> filesHolding(java.nio.file.Path dir, List<byte[]> needles) throws Exception {
        List<String> found = new ArrayList<>();
        java.nio.file.Path postgres = dir.resolve("postgres");
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path f : files.filter(java.nio.file.Files::isRegularFile).filter(f -> !f.startsWith(postgres))
                    .toList()) {
                byte[] content;
                try {
                    content = java.nio.file.Files.readAllBytes(f);
                } catch (java.nio.file.NoSuchFileException gone) { // a segment merged away meanwhile
                    continue;
                }
                for (byte[] n : needles) {
                    if (StoredBytes.indexOf(content, n) >= 0) {
                        found.add(dir.relativize(f).toString());
                        break;
                    }
                }
            }
        }
        return found;
    }

    @Test
    @Order(3)
    void theGateRejectsACandidateThatDoesNotBeatTheActiveModel() {
        long v3 = upload("6", TestModels.degraded("6", 3f, 6));
        PromotionGate gate = service.getBean(PromotionGate.class);
        String activeBefore = api.get("/api/v1/models/active", Keys.ADMIN).json().get("version").asText();

        double gain = independentGain(v3);
        // a margin just above the gain the candidate really has: the gate must measure that gain to reject it
        PromotionGate.Decision d = gate.decideNewest(gain + 0.01).orElseThrow();

        assertThat(d.candidateId()).isEqualTo(v3);
        assertThat(d.outcome()).isEqualTo("rejected");
        assertThat(d.reason()).contains("candidate mAP").contains(gainText(gain));
        assertThat(api.get("/api/v1/models/active", Keys.ADMIN).json().get("version").asText()).isEqualTo(activeBefore);
        JsonNode rejected = null;
        for (JsonNode m : api.get("/api/v1/models", Keys.ADMIN).json()) {
            if (m.get("id").asLong() == v3) {
                rejected = m;
            }
        }
        assertThat(rejected.get("state").asText()).isEqualTo("rejected");
        assertThat(rejected.get("stateReason").asText()).contains("mAP");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'model.promotion.rejected'", Long.class))
                .isEqualTo(1);
    }

    @Test
    @Order(4)
    void theGatePromotesACandidateThatClearsTheMargin() throws Exception {
        long v4 = upload("7", TestModels.degraded("7", 1.5f, 7));
        double gain = independentGain(v4);
        // a margin just under the gain the candidate really has (a slightly worse model, so the gain is
        // measurable): the gate must measure it to promote
        PromotionGate.Decision d = service.getBean(PromotionGate.class).decideNewest(gain - 0.01).orElseThrow();
        assertThat(d.outcome()).isEqualTo("promoted");
        assertThat(d.reason()).contains(gainText(gain));
        assertThat(api.awaitSwitch(Keys.ADMIN).get("state").asText()).isEqualTo("DONE");
        assertThat(api.get("/api/v1/models/active", Keys.ADMIN).json().get("id").asLong()).isEqualTo(v4);
        assertThat(api.get("/actuator/prometheus", Keys.ADMIN).text())
                .contains("reid_promotion_decisions_total{outcome=\"promoted\"}")
                .contains("reid_model_switches_total{outcome=\"done\"}");
    }

    @Test
    @Order(5)
    void importedModelsThatDoNotEmbedAsTheirManifestSaysAreRefused() {
        long models = jdbc.queryForObject("select count(*) from model_version", Long.class);
        Api.Response wrongDim = api.postMultipart("/api/v1/models", Keys.ADMIN, List.of(Api.Part.file("artifact",
                "imported.zip", TestModels.importedTorchScript("small-reid", "wrong-dim", 128))));
        assertThat(wrongDim.status()).as(wrongDim.text()).isEqualTo(422);
        assertThat(wrongDim.json().get("field").asText()).isEqualTo("artifact");
        assertThat(wrongDim.json().get("detail").asText()).contains("64 values").contains("embeddingDim 128");
        assertThat(jdbc.queryForObject("select count(*) from model_version", Long.class)).isEqualTo(models);
    }

    @Test
    @Order(6)
    void anImportedTorchScriptModelIsGatedSwitchedToAndAnswersSearches() throws Exception {
        Api.Response uploaded = api.postMultipart("/api/v1/models", Keys.ADMIN, List.of(Api.Part.file("artifact",
                "imported.zip", TestModels.importedTorchScript("small-reid-torchscript", "1", 64))));
        assertThat(uploaded.status()).as(uploaded.text()).isEqualTo(201);
        long imported = uploaded.json().get("id").asLong();

        // The gate scores it on the gallery like any candidate; a negative margin lets it through.
        PromotionGate.Decision d = service.getBean(PromotionGate.class).decideNewest(-1.0).orElseThrow();
        assertThat(d.candidateId()).isEqualTo(imported);
        assertThat(d.reason()).contains("candidate mAP");
        assertThat(d.outcome()).isEqualTo("promoted");
        assertThat(api.awaitSwitch(Keys.ADMIN).get("state").asText()).isEqualTo("DONE");

        JsonNode active = api.get("/api/v1/models/active", Keys.ADMIN).json();
        assertThat(active.get("id").asLong()).isEqualTo(imported);
        assertThat(active.get("manifest").get("architecture").get("format").asText()).isEqualTo("torchscript");
        assertThat(active.get("metrics").isNull()).as("an imported model has no metrics of its own").isTrue();
        long entries = jdbc.queryForObject("select count(*) from gallery_entry", Long.class);
        assertThat(jdbc.queryForObject("select count(*) from embedding where model_version_id = ?", Long.class, imported))
                .isEqualTo(entries);

        // A crop that is in the gallery finds itself through the imported network, and says so.
        Path crop = TestCrops.gallery().get(3);
        JsonNode answer = search(crop);
        assertThat(answer.get("model").get("name").asText()).isEqualTo("small-reid-torchscript");
        assertThat(answer.get("model").get("id").asLong()).isEqualTo(imported);
        JsonNode top = answer.get("identities").get(0);
        assertThat(top.get("label").asText()).isEqualTo(TestCrops.identityOf(crop));
        assertThat(top.get("score").asDouble()).isGreaterThan(0.999);
    }

    @Test
    @Order(7)
    void aModelNoBetterThanItsUntrainedNetworkNeedsForce() {
        long models = jdbc.queryForObject("select count(*) from model_version", Long.class);
        var noBetter = new org.reid.core.model.Manifest.Evaluation("synthetic/query+gallery", 0.2, 0.4, 0.5, 0.105,
                0.05, new org.reid.core.model.Manifest.Untrained(0.2, 0.1));
        byte[] zip = TestModels.variant("stuck", 1.0f, noBetter);
        Api.Response refused = api.postMultipart("/api/v1/models", Keys.ADMIN,
                List.of(Api.Part.file("artifact", "stuck.zip", zip)));
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.json().get("field").asText()).isEqualTo("artifact");
        assertThat(refused.json().get("detail").asText()).contains("no better than its untrained network")
                .contains("force=true");
        assertThat(jdbc.queryForObject("select count(*) from model_version", Long.class)).isEqualTo(models);
        Api.Response badForce = api.postMultipart("/api/v1/models?force=maybe", Keys.ADMIN,
                List.of(Api.Part.file("artifact", "stuck.zip", zip)));
        assertThat(badForce.status()).as(badForce.text()).isEqualTo(400);
        assertThat(badForce.json().get("field").asText()).isEqualTo("force");
        Api.Response forced = api.postMultipart("/api/v1/models?force=true", Keys.ADMIN,
                List.of(Api.Part.file("artifact", "stuck.zip", zip)));
        assertThat(forced.status()).as(forced.text()).isEqualTo(201);
    }

    @Test
    @Order(8)
    void anOperatorsActivationDuringTheGatesScoringStands() {
        long v8 = upload("8", TestModels.degraded("8", 3f, 8));
        org.reid.registry.RegisteredModel candidate = service.getBean(org.reid.registry.ModelRegistry.class)
                .find("reid-demo-small", "8").orElseThrow();
        // the operator activates it after the gate's poll found no switch running, while it scores
        Api.Response started = api.postMultipart("/api/v1/models/" + v8 + "/activate", Keys.ADMIN, List.of());
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        // a margin it cannot reach: rejecting it would fail the operator's switch
        PromotionGate.Decision d = service.getBean(PromotionGate.class).decide(candidate, 1.0);

        assertThat(d.outcome()).as(d.reason()).isEqualTo("skipped");
        assertThat(d.reason()).containsAnyOf("began while the gate scored", "became active while the gate scored");
        assertThat(api.awaitSwitch(Keys.ADMIN).get("state").asText()).isEqualTo("DONE");
        assertThat(api.get("/api/v1/models/active", Keys.ADMIN).json().get("id").asLong()).isEqualTo(v8);
    }
}

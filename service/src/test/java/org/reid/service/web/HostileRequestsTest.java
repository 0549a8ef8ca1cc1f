package org.reid.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reid.service.serving.ActiveModel;
import org.reid.service.support.Api;
import org.reid.service.support.Keys;
import org.reid.service.support.RawHttp;
import org.reid.service.support.ServiceInstance;
import org.reid.service.support.TestCrops;
import org.reid.service.support.TestImages;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A seeded fuzz of the REST API: two thousand hostile requests, each a valid request of some
 * endpoint with something broken (JSON, types, numbers, encodings, content types, multipart,
 * zips, manifests, images, artifacts, ids, keys, the HTTP itself). None may answer 5xx, every 4xx
 * is problem+json, and afterwards PostgreSQL and the index hold the same gallery, every batch adds
 * up, and the log holds no crop bytes and no error logged for a client's mistake.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileRequestsTest {
    private static final long SEED = 20261205L;
    private static final int REQUESTS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String[] NUMBERS = {"0", "-1", "1", "3", "2147483647", "2147483648", "-2147483649",
        "99999999999999999999", "1e9", "1.5", "0x10", "+1", "%201", "%EF%BC%91", "NaN", "", "1e400", "%00", "%", "%zz",
        "%c3%28", "9223372036854775808", "-0", "00000000000000000000001"};
    private static final String[] INSTANTS = {"2026-11-01T10:00:00Z", "+999999999-12-31T23:59:59Z",
        "-999999999-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2026-13-45T99:99:99Z", "yesterday", "",
        "9999-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z", "2026-11-01T10:00:00+25:00", "2026-11-01"};
    private static final String[] TEXT = {"", "%00", "%ff%fe", "../../etc/passwd", "<script>alert(1)</script>",
        "%e2%80%ae", "null", "\u00e9t\u00e9", "a b", "x".repeat(3000), "'; drop table identity; --", "%"};

    private final Random random = new Random(SEED);
    private final List<byte[]> crops = new ArrayList<>();
    private byte[] pngBomb;
    private int counter;

    @Test
    void hostileRequestsAre4xxProblemsNeverA5xxAndLeavePostgresAndTheIndexAgreeing(CapturedOutput log) throws Exception {
        for (Path p : TestCrops.queries().subList(0, 4)) {
            crops.add(TestCrops.bytes(p));
        }
        pngBomb = TestImages.pngBomb(3000, 3000);
        Path dir = Files.createTempDirectory("reid-hostile");
        try (ConfigurableApplicationContext service = ServiceInstance.start(dir,
                "--reid.security.api-keys[2].name=search-key",
                "--reid.security.api-keys[2].sha256=34cf85eb07dd403faed805c153b87dc81754722e361b86f48489e70bf5079300",
                "--reid.security.api-keys[2].roles=SEARCH",
                "--reid.limits.max-image-bytes=1048576", "--reid.limits.max-batch-items=20",
                "--reid.limits.max-batch-bytes=3000000", "--reid.limits.max-archive-entries=40",
                "--spring.servlet.multipart.max-file-size=2MB", "--spring.servlet.multipart.max-request-size=4MB")) {
            int port = ((WebServerApplicationContext) service).getWebServer().getPort();
            RawHttp http = new RawHttp(port);
            int logStart = log.getOut().length();
            Map<Integer, Integer> statuses = new TreeMap<>();
            List<String> failures = new ArrayList<>();
            List<String> accepted = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < REQUESTS; i++) {
                Hostile h = next();
                RawHttp.Answer a = http.send(h.request());
                statuses.merge(a.status(), 1, Integer::sum);
                String what = "#" + i + " " + h.what() + " -> " + a.status() + " " + a.contentType() + " "
                        + a.text().substring(0, Math.min(300, a.text().length()));
                if (a.status() == 0 || a.status() >= 500) {
                    failures.add(what);
                } else if (a.status() >= 400 && !a.contentType().startsWith("application/problem+json")) {
                    failures.add("not problem+json: " + what);
                } else if (a.status() == 202 && h.what().startsWith("batch")) {
                    accepted.add(JSON.readTree(a.body()).get("id").asText());
                }
            }
            System.out.printf("hostile requests by status: %s, batches accepted: %d, %.1f s%n", statuses, accepted.size(),
                    (System.nanoTime() - t0) / 1e9);
            assertThat(failures).as("answers that were a 5xx, none, or a 4xx that is not problem+json").isEmpty();

            // afterwards: every accepted batch completes and adds up, and PostgreSQL and the index agree
            Api api = ServiceInstance.api(service);
            assertThat(accepted).as("some hostile batches were valid enough to be stored").isNotEmpty();
            for (String id : accepted) {
                JsonNode b = api.awaitBatch("/api/v1/gallery/batches/" + id, Keys.INGEST);
                assertThat(b.get("stored").asInt() + b.get("duplicates").asInt() + b.get("failed").asInt())
                        .as(b.toString()).isEqualTo(b.get("total").asInt());
            }
            System.out.printf("hostile batches done after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            JdbcTemplate jdbc = service.getBean(JdbcTemplate.class);
            long entries = jdbc.queryForObject("select count(*) from gallery_entry", Long.class);
            assertThat(entries).isPositive();
            assertThat((long) service.getBean(ActiveModel.class).current().index().size()).isEqualTo(entries);
            assertThat(jdbc.queryForObject("select count(*) from embedding", Long.class)).isEqualTo(entries);

            // the log: no crop bytes, and no error logged for what was a client's mistake
            String during = log.getOut().substring(logStart).toLowerCase(java.util.Locale.ROOT);
            assertThat(during).doesNotContain("\\x89504e47").doesNotContain("\\xffd8ff");
            for (String key : List.of(Keys.ADMIN, Keys.INGEST, Keys.SEARCH)) {
                assertThat(during).as("an API key in the log").doesNotContain(key.toLowerCase(java.util.Locale.ROOT));
            }
            java.util.regex.Pattern level = java.util.regex.Pattern.compile("^\\S+\\s+error\\s");
            List<String> logged = during.lines().filter(l -> level.matcher(l).find() || l.startsWith("\tat "))
                    .map(l -> l.substring(0, Math.min(300, l.length()))).toList();
            assertThat(logged).as("errors and stack traces logged for client mistakes").isEmpty();
        }
    }

    private record Hostile(String what, byte[] request) {}

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** The right key for the endpoint mostly; sometimes none, a wrong one, or bytes no key holds. */
    private List<String> key(String right) {
        double k = random.nextDouble();
        if (k < 0.85) {
            return List.of("X-API-Key: " + right);
        }
        if (k < 0.9) {
            return List.of();
        }
        if (k < 0.95) {
            return List.of("X-API-Key: wrong-" + random.nextInt(1000));
        }
        return List.of("Authorization: Bearer \u00e9\u00ff" + random.nextInt(10));
    }

    private Hostile next() {
        counter++;
        return switch (random.nextInt(11)) {
            case 0, 1 -> searchMultipart();
            case 2 -> searchJson();
            case 3, 4 -> batchFiles();
            case 5 -> batchArchive();
            case 6 -> modelUpload();
            case 7, 8 -> getOrDelete();
            case 9 -> protocol();
            default -> mutated(chance(0.5) ? searchMultipart() : batchFiles());
        };
    }

    /** Random bytes of a valid-looking request's body overwritten. */
    private Hostile mutated(Hostile h) {
        byte[] r = h.request().clone();
        int bodyStart = new String(r, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
        for (int i = 0, n = 1 + random.nextInt(8); i < n && bodyStart < r.length; i++) {
            r[bodyStart + random.nextInt(r.length - bodyStart)] = (byte) random.nextInt(256);
        }
        return new Hostile("mutated " + h.what(), r);
    }

    // ---- images, zips, multipart

    private byte[] image() {
        byte[] crop = crops.get(random.nextInt(crops.size()));
        return switch (random.nextInt(10)) {
            case 0 -> java.util.Arrays.copyOf(crop, crop.length / 2);
            case 1 -> { // cut short, end marker appended
                byte[] cut = java.util.Arrays.copyOf(crop, crop.length * 2 / 3 + 2);
                cut[cut.length - 2] = (byte) 0xFF;
                cut[cut.length - 1] = (byte) 0xD9;
                yield cut;
            }
            case 2 -> bytes(random.nextInt(2000));
            case 3 -> concat(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, bytes(500));
            case 4 -> concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, bytes(500));
            case 5 -> pngBomb;
            case 6 -> new byte[0];
            case 7 -> concat(crop, bytes(1_100_000)); // over the byte limit
            default -> TestImages.variant(TestCrops.queries().get(random.nextInt(4)), counter);
        };
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private record Part(String name, String filename, byte[] content) {}

    private static byte[] multipart(String boundary, List<Part> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name() + "\""
                    + (p.filename() == null ? "" : "; filename=\"" + p.filename() + "\"") + "\r\n"
                    + (p.filename() == null ? "" : "Content-Type: application/octet-stream\r\n") + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(p.content());
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private Hostile post(String what, String target, List<String> headers, List<Part> parts) {
        String boundary = "b" + random.nextInt(1_000_000);
        List<String> h = new ArrayList<>(headers);
        h.add(switch (random.nextInt(12)) {
            case 0 -> "Content-Type: multipart/form-data";
            case 1 -> "Content-Type: multipart/form-data; boundary=other";
            case 2 -> "Content-Type: application/json";
            case 3 -> "Content-Type: text/plain";
            default -> "Content-Type: multipart/form-data; boundary=" + boundary;
        });
        return new Hostile(what, RawHttp.request("POST", target, h, multipart(boundary, parts)));
    }

    private static Part field(String name, String value) {
        return new Part(name, null, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] zip(Map<String, byte[]> entries, java.nio.charset.Charset names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out, names)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---- endpoints

    private Hostile searchMultipart() {
        List<Part> parts = new ArrayList<>();
        for (int i = 0, n = chance(0.1) ? random.nextInt(11) : 1; i < n; i++) {
            parts.add(new Part("image", "q" + i + ".jpg", image()));
        }
        String[] fields = {"topK", "cameras", "excludeCameras", "from", "to", "rerank", "camera"};
        for (String f : fields) {
            if (chance(0.3)) {
                parts.add(field(f, f.equals("from") || f.equals("to") ? pick(INSTANTS)
                        : f.equals("cameras") || f.equals("excludeCameras") ? pick(NUMBERS) + "," + pick(NUMBERS)
                        : pick(NUMBERS)));
            }
        }
        String query = chance(0.2) ? "?topK=" + pick(NUMBERS) + "&from=" + pick(INSTANTS).replace("+", "%2B") : "";
        return post("search multipart", "/api/v1/search" + query, key(Keys.SEARCH), parts);
    }

    private Hostile searchJson() {
        String image = Base64.getEncoder().encodeToString(image());
        String body = switch (random.nextInt(16)) {
            case 0 -> "{";
            case 1 -> "[]";
            case 2 -> "null";
            case 3 -> "{\"images\":[null]}";
            case 4 -> "{\"images\":\"" + image + "\"}";
            case 5 -> "{\"images\":[\"!!not base64!!\"]}";
            case 6 -> "{\"images\":[\"" + image + "\"],\"" + pick(new String[] {"topK", "camera"}) + "\":" + pick(new String[] {"1e400", "-1", "2147483648", "\"ten\"",
                "1.5", "null", "[]"}) + "}";
            case 7 -> "{\"images\":[\"" + image + "\"],\"cameras\":[null]}";
            case 8 -> "{\"images\":[\"" + image + "\"],\"from\":\"" + pick(INSTANTS) + "\",\"to\":\"" + pick(INSTANTS) + "\"}";
            case 9 -> "[".repeat(5000) + "]".repeat(5000);
            case 10 -> "{\"images\":[\"" + image + "\"]} trailing";
            case 11 -> "{\"images\":[\"\\ud800\"]}";
            case 12 -> "{\"images\":[\"data:image/png;base64," + image + "\"],\"cameras\":[" + pick(NUMBERS) + "]}";
            case 13 -> "{\"images\":[\"" + image + "\"],\"rerank\":\"perhaps\"}";
            case 14 -> "{\"images\":[" + "\"\",".repeat(20) + "\"\"]}";
            default -> "{\"images\":[\"" + image + "\"]}";
        };
        String type = pick(new String[] {"application/json", "application/json", "application/json; charset=ISO-8859-1",
            "application/json; charset=UTF-16", "application/x-www-form-urlencoded", "application/xml", "*/*"});
        List<String> h = new ArrayList<>(key(Keys.SEARCH));
        h.add("Content-Type: " + type);
        return new Hostile("search json " + body.substring(0, Math.min(40, body.length())),
                RawHttp.request("POST", "/api/v1/search", h, body.getBytes(StandardCharsets.UTF_8)));
    }

    private Hostile batchFiles() {
        int n = 1 + random.nextInt(4);
        boolean valid = chance(0.4);
        List<Part> parts = new ArrayList<>();
        StringBuilder csv = new StringBuilder("file,identity,camera,capturedAt\n");
        List<Map<String, Object>> json = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = valid || chance(0.7) ? "f" + counter + "_" + i + ".png"
                    : pick(new String[] {"", "a\u0000b.png", "../../x.png", "x".repeat(300) + ".png", "\u00e9t\u00e9.png", "a.png"});
            byte[] content = valid ? TestImages.variant(TestCrops.gallery().get(random.nextInt(8)), counter * 10 + i) : image();
            parts.add(new Part("files", name, content));
            String identity = valid || chance(0.7) ? "fuzz-" + random.nextInt(5) : pick(TEXT);
            String camera = valid || chance(0.6) ? String.valueOf(1 + random.nextInt(6)) : pick(NUMBERS);
            String at = valid || chance(0.6) ? "2026-11-01T10:00:00Z" : pick(INSTANTS);
            csv.append(name).append(',').append(identity).append(',').append(camera).append(',').append(at).append('\n');
            json.add(Map.of("file", name, "identity", identity, "camera", camera, "capturedAt", at));
        }
        String manifest;
        try {
            manifest = chance(0.5) ? csv.toString() : JSON.writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!valid && chance(0.5)) {
            manifest = switch (random.nextInt(6)) {
                case 0 -> manifest.substring(manifest.indexOf('\n') + 1); // no header
                case 1 -> manifest + "trailing,garbage";
                case 2 -> manifest.replace(',', ';');
                case 3 -> manifest.substring(0, manifest.length() / 2);
                case 4 -> "{\"not\":\"an array\"}";
                default -> manifest + "\u0000";
            };
        }
        if (chance(0.5)) {
            parts.add(field("manifest", manifest));
        } else {
            parts.add(new Part("manifest", "manifest.csv", manifest.getBytes(StandardCharsets.UTF_8)));
        }
        List<String> headers = new ArrayList<>(key(Keys.INGEST));
        if (chance(0.2)) {
            headers.add("Idempotency-Key: " + pick(new String[] {"", "k".repeat(300), "cl\u00e9-" + counter, "key-" + counter}));
        }
        return post("batch files" + (valid ? " (valid)" : ""), "/api/v1/gallery/batches", headers, parts);
    }

    private Hostile batchArchive() {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        java.nio.charset.Charset names = StandardCharsets.UTF_8;
        String kind;
        switch (random.nextInt(8)) {
            case 0 -> {
                kind = "zeros";
                for (int i = 0; i < 3; i++) {
                    entries.put(String.format("09%02d_c1s1_%06d_01.jpg", i, counter), new byte[900_000]);
                }
            }
            case 1 -> {
                kind = "many entries";
                for (int i = 0; i < 50; i++) {
                    entries.put("d" + i + "/", new byte[0]);
                }
            }
            case 2 -> {
                kind = "latin-1 names";
                names = StandardCharsets.ISO_8859_1;
                entries.put("0901_c1s1_000001_01_\u00e9t\u00e9.jpg", crops.get(0));
            }
            case 3 -> {
                kind = "junk images";
                for (int i = 0; i < 3; i++) {
                    entries.put(String.format("0902_c%ds1_%06d_01.jpg", i + 1, counter), image());
                }
            }
            case 4 -> {
                kind = "hidden and nested";
                entries.put("__MACOSX/._x.jpg", bytes(100));
                entries.put("a/b/c/0903_c1s1_000001_01.jpg", crops.get(1));
            }
            default -> {
                kind = "valid";
                for (int i = 0; i < 2; i++) {
                    entries.put(String.format("09%02d_c%ds1_%06d_01.png", 10 + random.nextInt(5), 1 + i, counter),
                            TestImages.variant(TestCrops.gallery().get(random.nextInt(8)), 5000 + counter * 10 + i));
                }
            }
        }
        byte[] zip = zip(entries, names);
        if (chance(0.15)) {
            kind += ", cut";
            zip = java.util.Arrays.copyOf(zip, zip.length / 2);
        } else if (chance(0.1)) {
            kind = "random bytes";
            zip = bytes(3000);
        }
        List<Part> parts = new ArrayList<>(List.of(new Part("archive", "a.zip", zip)));
        if (chance(0.1)) {
            parts.add(new Part("archive", "b.zip", zip));
        }
        return post("batch archive " + kind, "/api/v1/gallery/batches", key(Keys.INGEST), parts);
    }

    private Hostile modelUpload() {
        byte[] artifact = switch (random.nextInt(6)) {
            case 0 -> bytes(2000);
            case 1 -> zip(Map.of("manifest.json", "{\"formatVersion\":2,\u0000}".getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8);
            case 2 -> zip(Map.of("manifest.json", new byte[0], "weights.params", new byte[4 << 20]), StandardCharsets.UTF_8);
            case 3 -> zip(Map.of("manifest.json", "{\"formatVersion\":99}".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            case 4 -> zip(Map.of("x/../../manifest.json", new byte[10]), StandardCharsets.UTF_8);
            default -> new byte[0];
        };
        String force = chance(0.3) ? "?force=" + pick(new String[] {"maybe", "1", "", "%00", "true"}) : "";
        return post("model upload", "/api/v1/models" + force, key(Keys.ADMIN), List.of(new Part("artifact", "m.zip", artifact)));
    }

    private Hostile getOrDelete() {
        String id = pick(NUMBERS);
        String target = switch (random.nextInt(12)) {
            case 0 -> "/api/v1/identities?page=" + pick(NUMBERS) + "&size=" + pick(NUMBERS);
            case 1 -> "/api/v1/identities?label=" + pick(TEXT).replace(" ", "%20");
            case 2 -> "/api/v1/identities/" + id;
            case 3 -> "/api/v1/identities/" + id + "/entries?page=" + pick(NUMBERS) + "&size=" + pick(NUMBERS);
            case 4 -> "/api/v1/entries/" + id;
            case 5 -> "/api/v1/entries/" + id + "/image";
            case 6 -> "/api/v1/gallery/batches/" + pick(new String[] {"x", "00000000-0000-0000-0000-000000000000", "%00",
                "00000000-0000-0000-0000-00000000000g", id}) + "?items=" + pick(TEXT).replace(" ", "%20");
            case 7 -> "/api/v1/models?" + pick(TEXT).replace(" ", "%20");
            case 8 -> "/actuator/health?" + pick(new String[] {"%", "%zz", "a=%c3%28", "x=%00"});
            case 9 -> "/error";
            case 10 -> "/api/v1/models/active/calibration?" + pick(new String[] {"%", "bins=" + id});
            default -> "/api/v1/" + pick(TEXT).replace(" ", "%20");
        };
        if (target.contains("/identities/") && !target.contains("/entries") && chance(0.3)
                || target.startsWith("/api/v1/entries/") && !target.endsWith("/image") && chance(0.3)) {
            // deleting a hostile id: only forms that are not a plain decimal id, so nothing real is erased
            if (!id.matches("[0-9]+")) {
                return new Hostile("DELETE " + target, RawHttp.request("DELETE", target.replaceAll("\\?.*", ""),
                        key(Keys.ADMIN), null));
            }
        }
        if (chance(0.1)) {
            return new Hostile("POST activate " + id, RawHttp.request("POST", "/api/v1/models/" + id + "/activate",
                    key(Keys.ADMIN), new byte[0]));
        }
        return new Hostile("GET " + target, RawHttp.request("GET", target, key(Keys.ADMIN), null));
    }

    /** Below Spring: broken multipart, lying lengths, odd methods and heads. */
    private Hostile protocol() {
        byte[] body = multipart("bb", List.of(new Part("image", "q.jpg", crops.get(0))));
        List<String> multipartType = List.of("X-API-Key: " + Keys.SEARCH, "Content-Type: multipart/form-data; boundary=bb");
        return switch (random.nextInt(11)) {
            case 0 -> new Hostile("multipart without boundary", RawHttp.request("POST", "/api/v1/search",
                    List.of("X-API-Key: " + Keys.SEARCH, "Content-Type: multipart/form-data"), body));
            case 1 -> new Hostile("multipart cut short", RawHttp.request("POST", "/api/v1/search", multipartType,
                    java.util.Arrays.copyOf(body, body.length / 2)));
            case 2 -> new Hostile("NUL in a file name", RawHttp.request("POST", "/api/v1/search", multipartType,
                    multipart("bb", List.of(new Part("image", "q\u0000.jpg", crops.get(0))))));
            case 3 -> new Hostile("PUT", RawHttp.request("PUT", "/api/v1/identities/1", key(Keys.ADMIN), new byte[0]));
            case 4 -> new Hostile("PATCH", RawHttp.request("PATCH", "/api/v1/search", key(Keys.SEARCH), new byte[0]));
            case 5 -> new Hostile("long query", RawHttp.request("GET", "/api/v1/identities?label=" + "y".repeat(20_000),
                    key(Keys.ADMIN), null));
            case 6 -> new Hostile("dot segments", RawHttp.request("GET", "/api/v1/%2e%2e/%2e%2e/etc/passwd", key(Keys.ADMIN),
                    null));
            case 7 -> new Hostile("control byte in a header", RawHttp.request("GET", "/api/v1/identities",
                    List.of("X-API-Key: " + Keys.ADMIN, "X-Odd: a\u0001b"), null));
            case 8 -> new Hostile("bad chunk size", concat(RawHttp.request("POST", "/api/v1/search",
                    List.of("X-API-Key: " + Keys.SEARCH, "Content-Type: application/json", "Transfer-Encoding: chunked"), null),
                    "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
            case 9 -> new Hostile("gzip that is not", RawHttp.request("POST", "/api/v1/search",
                    List.of("X-API-Key: " + Keys.SEARCH, "Content-Type: application/json", "Content-Encoding: gzip"),
                    bytes(100)));
            default -> new Hostile("boundary that never closes", RawHttp.request("POST", "/api/v1/gallery/batches",
                    List.of("X-API-Key: " + Keys.INGEST, "Content-Type: multipart/form-data; boundary=zz"),
                    "--zz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.jpg\"\r\n\r\nabc".getBytes(
                            StandardCharsets.ISO_8859_1)));
        };
    }
}

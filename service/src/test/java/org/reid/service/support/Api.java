package org.reid.service.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;

/** A plain HTTP client for the tests: real requests over loopback, multipart written by hand. */
public final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One part of a multipart body: a form field (filename null) or a file. */
    public record Part(String name, String filename, String contentType, byte[] content) {
        public static Part field(String name, String value) {
            return new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8));
        }

        public static Part file(String name, String filename, byte[] content) {
            return new Part(name, filename, "application/octet-stream", content);
        }
    }

    /** An answer: status, headers, body. */
    public record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (status " + status + "): " + text(), e);
            }
        }

        public String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }
    }

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public Api(String base) {
        this.base = base;
    }

    public Response get(String path, String key) {
        return send(builder(path, key, Map.of()).GET());
    }

    public Response delete(String path, String key) {
        return send(builder(path, key, Map.of()).DELETE());
    }

    public Response postJson(String path, String key, Object body) {
        try {
            return send(builder(path, key, Map.of("Content-Type", "application/json"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Response postMultipart(String path, String key, List<Part> parts) {
        return postMultipart(path, key, parts, Map.of());
    }

    public Response postMultipart(String path, String key, List<Part> parts, Map<String, String> headers) {
        String boundary = "----reid" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            write(out, "--" + boundary + "\r\n");
            write(out, "Content-Disposition: form-data; name=\"" + p.name() + "\""
                    + (p.filename() == null ? "" : "; filename=\"" + p.filename() + "\"") + "\r\n");
            if (p.contentType() != null) {
                write(out, "Content-Type: " + p.contentType() + "\r\n");
            }
            write(out, "\r\n");
            out.writeBytes(p.content());
            write(out, "\r\n");
        }
        write(out, "--" + boundary + "--\r\n");
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Content-Type", "multipart/form-data; boundary=" + boundary);
        return send(builder(path, key, all).POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
    }

    /** Polls a batch until it is DONE. */
    public JsonNode awaitBatch(String location, String key) {
        return Awaitility.await("batch " + location + " DONE").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Response r = get(location, key);
                    if (r.status() != 200) {
                        throw new AssertionError("batch status " + r.status() + ": " + r.text());
                    }
                    return r.json();
                }, batch -> batch.get("state").asText().equals("DONE"));
    }

    /** Polls {@code GET /api/v1/models/switch} until the switch is no longer RUNNING. */
    public JsonNode awaitSwitch(String key) {
        return Awaitility.await("the model switch finished").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/api/v1/models/switch", key).json(), s -> !s.get("state").asText().equals("RUNNING"));
    }

    private HttpRequest.Builder builder(String path, String key, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        headers.forEach(b::header);
        return b;
    }

    private Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A CSV manifest for crops in Market-1501 naming. */
    public static String manifestOf(List<java.nio.file.Path> crops) {
        List<String> lines = new ArrayList<>();
        lines.add("file,identity,camera,capturedAt");
        for (java.nio.file.Path p : crops) {
            lines.add(p.getFileName() + "," + TestCrops.identityOf(p) + "," + TestCrops.cameraOf(p) + ",2026-11-01T10:00:00Z");
        }
        return String.join("\n", lines);
    }
}

package org.reid.service.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Ingests the shared test gallery once per JVM (idempotently), and small labelled batches. */
public final class Gallery {
    private static boolean ingested;

    private Gallery() {}

    public static synchronized void ensureIngested(Api api) {
        if (ingested) {
            return;
        }
        ingestTestGallery(api);
        ingested = true;
    }

    /** Ingests the test gallery into the service {@code api} talks to (a service of its own), and waits for it. */
    public static void ingestTestGallery(Api api) {
        List<Path> crops = TestCrops.gallery();
        List<Api.Part> parts = new ArrayList<>();
        for (Path p : crops) {
            parts.add(Api.Part.file("files", p.getFileName().toString(), TestCrops.bytes(p)));
        }
        parts.add(Api.Part.field("manifest", Api.manifestOf(crops)));
        Api.Response r = api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, parts, Map.of("Idempotency-Key", "test-gallery"));
        if (r.status() != 202 && r.status() != 200) {
            throw new AssertionError("gallery ingestion answered " + r.status() + ": " + r.text());
        }
        JsonNode done = api.awaitBatch(r.headers().firstValue("Location").orElseThrow(), Keys.INGEST);
        if (done.get("failed").asInt() != 0) {
            throw new AssertionError("test gallery items failed: " + done);
        }
    }

    /** Submits {@code images} (PNG bytes) under one label and camera, and waits for the batch. */
    public static JsonNode ingest(Api api, String label, int camera, List<byte[]> images) {
        List<Api.Part> parts = new ArrayList<>();
        StringBuilder manifest = new StringBuilder("file,identity,camera\n");
        for (int i = 0; i < images.size(); i++) {
            String name = label + "-" + i + ".png";
            parts.add(Api.Part.file("files", name, images.get(i)));
            manifest.append(name).append(',').append(label).append(',').append(camera).append('\n');
        }
        parts.add(Api.Part.field("manifest", manifest.toString()));
        Api.Response r = api.postMultipart("/api/v1/gallery/batches", Keys.INGEST, parts);
        if (r.status() != 202) {
            throw new AssertionError("ingestion answered " + r.status() + ": " + r.text());
        }
        return api.awaitBatch(r.headers().firstValue("Location").orElseThrow(), Keys.INGEST);
    }
}

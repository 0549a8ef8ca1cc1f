package org.reid.service.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.reid.core.data.synth.SynthConfig;
import org.reid.core.data.synth.SyntheticDataset;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;

/**
 * Test data for the page's end-to-end test, made through the public API only: renders a few
 * synthetic identities, ingests their gallery crops as one Market-1501-named zip and keeps one
 * held-out query crop (from the dataset's query split, never ingested) with its identity's label.
 *
 * <p>LEAD: this is the data-setup part of {@link PageEndToEndTest}; swap it for the shared test
 * base class's gallery when that exists (it needs an ingested identity, a crop of it that is not
 * in the gallery, and an API key with the SEARCH role).
 */
final class SyntheticGalleryFixture {
    private static final Instant FIRST_CAPTURE = Instant.parse("2026-11-01T08:00:00Z");
    private static final Duration INGEST_TIMEOUT = Duration.ofMinutes(3);

    /** A held-out crop, the label rank 1 must have, and how many crops the gallery holds. */
    record Prepared(Path queryImage, String expectedLabel, int galleryEntries) {}

    private SyntheticGalleryFixture() {}

    static Prepared ingest(String baseUrl, String ingestKey, Path work) throws IOException, InterruptedException {
        Path dataset = work.resolve("synth");
        SynthConfig config = SynthConfig.builder()
                .identities(16).imagesPerIdentity(10).cameras(4)
                .distractorRate(0).junkRate(0).labelNoise(0)
                .seed(2026).build();
        SyntheticDataset.generate(config, dataset, (done, total) -> { });

        List<Path> galleryCrops = jpegs(dataset.resolve("bounding_box_test"));
        Path archive = zip(galleryCrops, work.resolve("gallery.zip"));
        RestClient client = RestClient.builder().baseUrl(baseUrl).defaultHeader("X-API-Key", ingestKey).build();
        MultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
        form.add("archive", new FileSystemResource(archive));
        ResponseEntity<Map> accepted = client.post().uri("/api/v1/gallery/batches")
                .contentType(MediaType.MULTIPART_FORM_DATA).body(form)
                .retrieve().toEntity(Map.class);
        String location = accepted.getHeaders().getLocation() != null
                ? accepted.getHeaders().getLocation().toString()
                : "/api/v1/gallery/batches/" + accepted.getBody().get("id");
        Map<?, ?> batch = waitUntilDone(client, location);
        int stored = ((Number) batch.get("stored")).intValue();
        if (stored != galleryCrops.size()) {
            throw new IllegalStateException("ingested " + stored + " of " + galleryCrops.size() + " crops: " + batch);
        }

        Path query = jpegs(dataset.resolve("query")).get(0);
        return new Prepared(query, marketIdentity(query), stored);
    }

    private static Map<?, ?> waitUntilDone(RestClient client, String location) throws InterruptedException {
        long deadline = System.nanoTime() + INGEST_TIMEOUT.toNanos();
        while (true) {
            Map<?, ?> batch = client.get().uri(location).retrieve().body(Map.class);
            if ("DONE".equals(batch.get("state"))) {
                return batch;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("batch not DONE after " + INGEST_TIMEOUT + ": " + batch);
            }
            Thread.sleep(200);
        }
    }

    /** The identity of a Market-1501 name: {@code 0042_c2s1_000151_01.jpg} is {@code 0042}. */
    static String marketIdentity(Path crop) {
        String name = crop.getFileName().toString();
        return name.substring(0, name.indexOf('_'));
    }

    private static List<Path> jpegs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().toList();
        }
    }

    /** One zip in Market-1501 naming; each entry's time (the capture time) a minute after the last. */
    private static Path zip(List<Path> crops, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < crops.size(); i++) {
                ZipEntry entry = new ZipEntry(crops.get(i).getFileName().toString());
                entry.setLastModifiedTime(FileTime.from(FIRST_CAPTURE.plus(Duration.ofMinutes(i))));
                zip.putNextEntry(entry);
                Files.copy(crops.get(i), zip);
                zip.closeEntry();
            }
        }
        return target;
    }
}

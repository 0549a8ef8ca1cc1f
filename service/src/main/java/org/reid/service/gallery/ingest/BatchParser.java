package org.reid.service.gallery.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import org.reid.core.csv.CsvFormatException;
import org.reid.core.csv.CsvReader;
import org.reid.core.csv.CsvRow;
import org.reid.core.data.MarketName;
import org.reid.core.util.AsciiIntegers;
import org.reid.core.zip.ZipLimitException;
import org.reid.core.zip.ZipLimits;
import org.reid.core.zip.ZipStreamReader;
import org.reid.service.config.ReidProperties;
import org.reid.service.problem.Rejection;
import org.reid.service.store.CaptureTimes;
import org.reid.service.store.StorableText;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;

/**
 * Reads a batch request into items, refusing malformed requests as a whole (nothing is staged):
 * no crops, a manifest naming files that were not sent, files the manifest does not name, bad
 * labels or cameras, more items than allowed. Whether each crop is a decodable image is checked
 * later per item, so that one bad image never sinks a batch.
 */
@Component
public class BatchParser {
    private static final int MAX_LABEL_LENGTH = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReidProperties.Limits limits;

    public BatchParser(ReidProperties properties) {
        this.limits = properties.getLimits();
    }

    /** A manifest sent as a file part, held to {@code reid.limits.max-manifest-bytes} before it is read. */
    public String manifest(MultipartFile file) {
        if (file.getSize() > limits.getMaxManifestBytes()) {
            throw Rejection.tooLarge("manifest", "the manifest is " + file.getSize() + " bytes, larger than the limit of "
                    + limits.getMaxManifestBytes() + " bytes (reid.limits.max-manifest-bytes)",
                    limits.getMaxManifestBytes() + " bytes");
        }
        try {
            return new String(file.getBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw Rejection.invalid("manifest", "the manifest could not be read: " + e.getMessage());
        }
    }

    /** Crops sent as {@code files} with a CSV or JSON {@code manifest}. */
    public List<SubmittedItem> fromFiles(List<MultipartFile> files, String manifest) {
        if (files == null || files.isEmpty()) {
            throw Rejection.invalid("files", "the batch has no crops: send files plus a manifest, or one archive");
        }
        if (manifest == null || manifest.isBlank()) {
            throw Rejection.invalid("manifest", "a manifest (CSV file,identity,camera,capturedAt or a JSON array) "
                    + "must accompany the files");
        }
        requireItemLimit(files.size());
        long total = files.stream().mapToLong(MultipartFile::getSize).sum();
        if (total > limits.getMaxBatchBytes()) {
            throw Rejection.tooLarge("files", "the batch's files are " + total + " bytes together; the limit is "
                    + limits.getMaxBatchBytes() + " bytes (reid.limits.max-batch-bytes)", limits.getMaxBatchBytes() + " bytes");
        }
        Map<String, byte[]> byName = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            MultipartFile f = files.get(i);
            String name = baseName(f.getOriginalFilename());
            if (name.isEmpty()) {
                throw Rejection.invalid("files[" + i + "]", "files[" + i + "] has no file name; the manifest refers to files by name");
            }
            if (byName.put(name, bytes(f)) != null) {
                throw Rejection.invalid("files[" + i + "]", "files[" + i + "]: the file name '" + name + "' is sent twice");
            }
        }
        String start = manifest.strip();
        // read as what it looks like, and say so when it is broken: JSON starts with [ or {, CSV with its header
        List<ManifestRow> rows = start.startsWith("[") || start.startsWith("{") ? json(manifest) : csv(manifest);
        if (rows.isEmpty()) {
            throw Rejection.invalid("manifest", "the manifest has no rows");
        }
        List<SubmittedItem> items = new ArrayList<>(rows.size());
        java.util.Set<String> named = new java.util.HashSet<>();
        for (ManifestRow row : rows) {
            byte[] bytes = byName.get(row.file());
            if (bytes == null) {
                throw Rejection.unprocessable("manifest", row.where() + " names '" + row.file()
                        + "', which is not among the uploaded files");
            }
            if (!named.add(row.file())) {
                throw Rejection.unprocessable("manifest", row.where() + " names '" + row.file() + "' a second time");
            }
            items.add(new SubmittedItem(row.file(), row.identity(), row.camera(), row.capturedAt(), bytes));
        }
        for (String name : byName.keySet()) {
            if (!named.contains(name)) {
                throw Rejection.unprocessable("files", "the file '" + name + "' is not named in the manifest");
            }
        }
        return items;
    }

    /**
     * Crops in one zip, named the Market-1501 way; the capture time is each zip entry's time. The
     * zip is read as it streams in, within {@link #zipLimits()}: a zip bomb is refused while it
     * inflates, never held.
     */
    public List<SubmittedItem> fromArchive(MultipartFile archive) {
        List<SubmittedItem> items = new ArrayList<>();
        try (ZipStreamReader zip = new ZipStreamReader(archive.getInputStream(), zipLimits())) {
            ZipEntry e;
            boolean any = false;
            while ((e = zip.next()) != null) {
                any = true;
                String name = baseName(e.getName());
                if (e.isDirectory() || name.startsWith(".")) {
                    continue; // skipped unread, yet inflated within the limits all the same
                }
                requireItemLimit(items.size() + 1);
                String entry = "archive entry " + (items.size() + 1);
                StorableText.problem(name).ifPresent(why -> {
                    throw Rejection.invalid("archive", entry + ": its name " + why);
                });
                byte[] bytes = zip.read();
                Optional<MarketName> market = MarketName.parse(name);
                Instant captured = CaptureTimes.checked("archive", entry + " ('" + name + "'): its time, the capture time,",
                        e.getLastModifiedTime() == null ? Instant.now() : e.getLastModifiedTime().toInstant());
                if (market.isEmpty() || market.get().identity().length() > MAX_LABEL_LENGTH || market.get().isJunk()
                        || market.get().isDistractor()) {
                    // no identity: kept as an item that fails, so the operator sees which file was not
                    // stored and why (a name not understood, or Market-1501's junk -1 and distractor 0000,
                    // which are not people of the gallery)
                    items.add(new SubmittedItem(name, null, 0, captured, bytes));
                } else {
                    items.add(new SubmittedItem(name, market.get().identity(), market.get().camera(), captured, bytes));
                }
            }
            if (!any) {
                throw Rejection.unprocessable("archive", "archive is not a zip file or holds no entries");
            }
        } catch (ZipLimitException e) {
            throw tooLarge(e);
        } catch (IOException e) {
            throw Rejection.unprocessable("archive", "archive could not be read as a zip ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        } catch (IllegalArgumentException e) { // ZipInputStream's answer to entry names that are not UTF-8
            throw Rejection.unprocessable("archive", "archive entry names must be UTF-8 (" + e.getMessage() + ")");
        }
        if (items.isEmpty()) {
            throw Rejection.invalid("archive", "the archive holds no crops");
        }
        return items;
    }

    /** What one archive may inflate: each entry is an image, all of them one batch. */
    ZipLimits zipLimits() {
        return new ZipLimits(limits.getMaxImageBytes(), limits.getMaxBatchBytes(), limits.getMaxArchiveEntries(),
                limits.getMaxCompressionRatio());
    }

    private static Rejection tooLarge(ZipLimitException e) {
        String key = switch (e.limit()) {
            case ENTRY_BYTES -> "reid.limits.max-image-bytes";
            case TOTAL_BYTES -> "reid.limits.max-batch-bytes";
            case ENTRIES -> "reid.limits.max-archive-entries";
            case COMPRESSION_RATIO -> "reid.limits.max-compression-ratio";
        };
        String limit = switch (e.limit()) {
            case ENTRY_BYTES, TOTAL_BYTES -> e.value() + " bytes";
            case ENTRIES -> e.value() + " entries";
            case COMPRESSION_RATIO -> e.value() + ":1";
        };
        return Rejection.tooLarge("archive", "archive refused: " + e.getMessage() + "; the limit is " + limit + " (" + key
                + ")", limit);
    }

    private record ManifestRow(String where, String file, String identity, int camera, Instant capturedAt) {}

    private List<ManifestRow> csv(String manifest) {
        List<CsvRow> lines;
        try {
            lines = CsvReader.read(manifest);
        } catch (CsvFormatException e) {
            throw Rejection.invalid("manifest", "manifest " + e.getMessage());
        }
        if (lines.isEmpty()) {
            throw Rejection.invalid("manifest", "the manifest has no rows");
        }
        CsvRow header = lines.get(0);
        List<String> cols = header.fields().stream().map(c -> c.trim().toLowerCase(java.util.Locale.ROOT)).toList();
        int file = cols.indexOf("file");
        int identity = cols.indexOf("identity");
        int camera = cols.indexOf("camera");
        int captured = cols.indexOf("capturedat");
        if (file < 0 || identity < 0 || camera < 0) {
            throw Rejection.invalid("manifest", "manifest line " + header.line() + " must be the CSV header "
                    + "file,identity,camera[,capturedAt], got '" + header.text() + "'");
        }
        List<ManifestRow> rows = new ArrayList<>();
        for (CsvRow f : lines.subList(1, lines.size())) {
            String where = "manifest line " + f.line();
            if (f.size() < cols.size()) {
                throw Rejection.invalid("manifest", where + " has " + f.size() + " fields; the header has " + cols.size());
            }
            rows.add(row(where, f.get(file).trim(), f.get(identity).trim(), f.get(camera).trim(),
                    captured < 0 ? "" : f.get(captured).trim()));
        }
        return rows;
    }

    private List<ManifestRow> json(String manifest) {
        JsonNode tree;
        try {
            tree = JSON.readerFor(JsonNode.class).with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readValue(manifest);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw Rejection.invalid("manifest", "the manifest was read as JSON and is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw Rejection.invalid("manifest", "the manifest was read as JSON and could not be read: " + e.getMessage());
        }
        if (!tree.isArray()) {
            throw Rejection.invalid("manifest", "a JSON manifest is an array of {file, identity, camera, capturedAt}, got "
                    + tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        List<ManifestRow> rows = new ArrayList<>();
        for (int i = 0; i < tree.size(); i++) {
            JsonNode n = tree.get(i);
            String where = "manifest[" + i + "]";
            rows.add(row(where, text(n, "file"), text(n, "identity"), text(n, "camera"), text(n, "capturedAt")));
        }
        return rows;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? "" : v.asText().trim();
    }

    private static ManifestRow row(String where, String file, String identity, String camera, String captured) {
        if (file.isEmpty()) {
            throw Rejection.invalid("manifest", where + ": file is empty");
        }
        for (String[] v : new String[][] {{"file", file}, {"identity", identity}}) {
            StorableText.problem(v[1]).ifPresent(why -> {
                throw Rejection.invalid("manifest", where + ": " + v[0] + " " + why);
            });
        }
        if (identity.isEmpty() || identity.codePointCount(0, identity.length()) > MAX_LABEL_LENGTH) { // characters, not UTF-16 units
            throw Rejection.invalid("manifest", where + ": identity must be 1 to " + MAX_LABEL_LENGTH + " characters, got '"
                    + identity + "'");
        }
        int cam;
        try {
            cam = AsciiIntegers.parseInt(camera);
        } catch (NumberFormatException e) {
            throw Rejection.invalid("manifest", where + ": camera must be an integer >= 0, got '" + camera + "'");
        }
        if (cam < 0) {
            throw Rejection.invalid("manifest", where + ": camera must be an integer >= 0, got " + cam);
        }
        Instant at;
        try {
            at = captured.isEmpty() ? Instant.now() : Instant.parse(captured);
        } catch (DateTimeParseException e) {
            throw Rejection.invalid("manifest", where + ": capturedAt must be an ISO-8601 instant like "
                    + "2026-11-01T10:00:00Z, got '" + captured + "'");
        }
        CaptureTimes.checked("manifest", where + ": capturedAt", at);
        return new ManifestRow(where, baseName(file), identity, cam, at);
    }

    private void requireItemLimit(int n) {
        if (n > limits.getMaxBatchItems()) {
            throw Rejection.tooLarge("files", "a batch may hold at most " + limits.getMaxBatchItems()
                    + " crops (reid.limits.max-batch-items)", limits.getMaxBatchItems() + " items");
        }
    }

    private byte[] bytes(MultipartFile f) {
        try {
            return f.getBytes();
        } catch (IOException e) {
            throw Rejection.invalid("files", "file " + f.getOriginalFilename() + " could not be read: " + e.getMessage());
        }
    }

    static String baseName(String name) {
        if (name == null) {
            return "";
        }
        String n = name.replace('\\', '/');
        return n.substring(n.lastIndexOf('/') + 1).trim();
    }

}

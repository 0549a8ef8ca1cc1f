package org.reid.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reid.core.csv.CsvFormatException;
import org.reid.core.csv.CsvReader;
import org.reid.core.csv.CsvRow;

/**
 * Reads a folder-per-identity dataset with a camera table:
 *
 * <pre>
 * root/&lt;identity&gt;/&lt;file&gt;.jpg      one folder per person (jpg, jpeg or png)
 * root/cameras.csv                 header "path,camera", then one row per image:
 *                                  path relative to root with '/' separators, camera 1-based
 * </pre>
 *
 * <p>Identities are numbered by folder name: the folders sorted by name (Java {@code String}
 * order) get pids {@code 0..N-1}; the folder name stays in each image's path. Every image needs
 * exactly one CSV row and every row must name an image in an identity folder; the camera must be a
 * positive integer (stored 0-based). A path with a comma is quoted as CSV quotes it. Non-image
 * files are ignored; hidden entries (names starting with '.') are ignored; an image directly
 * under root, a folder inside an identity folder, or an identity folder without images is an
 * error.
 *
 * <p>Splits ({@link Split}): {@code TRAIN_ONLY} puts everything in train. {@code QUERY_GALLERY}
 * is a deterministic evaluation split: for each identity seen by at least two cameras, its query is
 * the first image (by relative path) of its lowest-numbered camera; every other image goes to the
 * gallery (identities seen by one camera only are gallery-only). Each query therefore has a
 * cross-camera match in the gallery, as the Market-1501 protocol requires.
 */
public final class IdentityFolderReader implements DatasetReader {

    /** Name of the camera table under the root. */
    public static final String CAMERA_FILE = "cameras.csv";

    /** Which split the images go to. */
    public enum Split {
        /** Every image in train; query and gallery empty. */
        TRAIN_ONLY,
        /** Train empty; one query per identity seen by two or more cameras, the rest gallery. */
        QUERY_GALLERY
    }

    private final Split split;

    /** @param split where the images go */
    public IdentityFolderReader(Split split) {
        this.split = java.util.Objects.requireNonNull(split, "split");
    }

    @Override
    public String layout() {
        return split == Split.TRAIN_ONLY ? DatasetReaders.IDENTITY_FOLDERS : DatasetReaders.IDENTITY_FOLDERS_EVAL;
    }

    @Override
    public ReidDataset read(Path root) {
        DatasetFiles.requireDirectory(root, "identity-folder dataset root");
        Path csv = root.resolve(CAMERA_FILE);
        DatasetFiles.requireFile(csv, "camera table with header 'path,camera'");

        // relative path -> (file, pid), in identity then file-name order
        Map<String, Path> files = new LinkedHashMap<>();
        Map<String, Integer> pids = new HashMap<>();
        int pid = 0;
        for (Path entry : DatasetFiles.sortedEntries(root)) {
            String name = entry.getFileName().toString();
            if (name.startsWith(".")) {
                continue;
            }
            if (!Files.isDirectory(entry)) {
                if (DatasetFiles.hasImageExtension(name)) {
                    throw new DatasetFormatException(entry, "image outside an identity folder");
                }
                continue;
            }
            int before = files.size();
            for (Path file : DatasetFiles.sortedEntries(entry)) {
                String fileName = file.getFileName().toString();
                if (fileName.startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(file)) {
                    throw new DatasetFormatException(file, "folder inside an identity folder (expected image files only)");
                }
                if (DatasetFiles.hasImageExtension(fileName)) {
                    String rel = name + "/" + fileName;
                    files.put(rel, file);
                    pids.put(rel, pid);
                }
            }
            if (files.size() == before) {
                throw new DatasetFormatException(entry, "identity folder holds no jpg/jpeg/png images");
            }
            pid++;
        }
        if (files.isEmpty()) {
            throw new DatasetFormatException(root, "no identity folders with images");
        }

        Map<String, Integer> cameras = readCameras(csv, files);
        List<ReidImage> all = new ArrayList<>(files.size());
        for (Map.Entry<String, Path> e : files.entrySet()) {
            all.add(new ReidImage(e.getValue(), pids.get(e.getKey()), cameras.get(e.getKey()) - 1, e.getKey()));
        }
        if (split == Split.TRAIN_ONLY) {
            return new ReidDataset(layout(), all, List.of(), List.of());
        }
        return splitQueryGallery(root, all);
    }

    /** Camera (1-based) of every image, from the CSV; each image exactly once. */
    private static Map<String, Integer> readCameras(Path csv, Map<String, Path> files) {
        List<CsvRow> rows;
        try {
            rows = CsvReader.read(csv);
        } catch (CsvFormatException e) {
            throw new DatasetFormatException(csv, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        if (rows.isEmpty()) {
            throw new DatasetFormatException(csv, "empty file: expected the header 'path,camera'");
        }
        CsvRow header = rows.get(0);
        if (!header.text().replace(" ", "").strip().equalsIgnoreCase("path,camera")) {
            throw new DatasetFormatException(csv, "line " + header.line() + ": header must be 'path,camera', got '"
                    + header.text() + "'");
        }
        Map<String, Integer> cameras = new HashMap<>();
        for (CsvRow row : rows.subList(1, rows.size())) {
            String where = "line " + row.line() + " '" + row.text() + "': ";
            if (row.size() != 2) {
                throw new DatasetFormatException(csv, where + "expected 2 columns 'path,camera', got " + row.size());
            }
            String rel = row.get(0).strip().replace('\\', '/');
            if (rel.startsWith("./")) {
                rel = rel.substring(2);
            }
            String cam = row.get(1).strip();
            Integer camera = cam.chars().allMatch(Character::isDigit) ? DatasetFiles.parseIntOrNull(cam) : null;
            if (camera == null || camera < 1) {
                throw new DatasetFormatException(csv, where + "unknown camera '" + cam
                        + "': cameras are positive integers numbered from 1");
            }
            if (!files.containsKey(rel)) {
                throw new DatasetFormatException(csv, where + "'" + rel
                        + "' is not an image in an identity folder (paths are relative to the dataset root)");
            }
            if (cameras.put(rel, camera) != null) {
                throw new DatasetFormatException(csv, where + "'" + rel + "' is listed twice");
            }
        }
        if (cameras.size() < files.size()) {
            List<String> missing = files.keySet().stream().filter(k -> !cameras.containsKey(k)).toList();
            throw new DatasetFormatException(csv, missing.size() + " image(s) have no camera row, first: '"
                    + missing.get(0) + "'");
        }
        return cameras;
    }

    private ReidDataset splitQueryGallery(Path root, List<ReidImage> all) {
        // "all" is grouped by identity and sorted by relative path within it
        Map<Integer, List<ReidImage>> byPid = new LinkedHashMap<>();
        for (ReidImage im : all) {
            byPid.computeIfAbsent(im.pid(), p -> new ArrayList<>()).add(im);
        }
        List<ReidImage> query = new ArrayList<>();
        List<ReidImage> gallery = new ArrayList<>();
        for (List<ReidImage> images : byPid.values()) {
            int minCam = images.stream().mapToInt(ReidImage::camId).min().orElseThrow();
            boolean multiCamera = images.stream().anyMatch(im -> im.camId() != minCam);
            ReidImage chosen = null;
            if (multiCamera) {
                chosen = images.stream().filter(im -> im.camId() == minCam).findFirst().orElseThrow();
                query.add(chosen);
            }
            for (ReidImage im : images) {
                if (im != chosen) {
                    gallery.add(im);
                }
            }
        }
        if (query.isEmpty()) {
            throw new DatasetFormatException(root, "no identity is seen by two or more cameras, so no query"
                    + " can be formed for a query/gallery split");
        }
        return new ReidDataset(layout(), List.of(), query, gallery);
    }
}

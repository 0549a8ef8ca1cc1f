package org.reid.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The dataset layouts by name, and detection of a folder's layout.
 *
 * <p>Names (case-insensitive; {@code -} and {@code _} are ignored, so {@code DukeMTMC_reID} works):
 * {@value #MARKET1501} (alias {@code market}), {@value #DUKEMTMC_REID} (alias {@code duke}),
 * {@value #MSMT17}, {@value #IDENTITY_FOLDERS} (folder per identity + cameras.csv, train only),
 * {@value #IDENTITY_FOLDERS_EVAL} (the same, split into query/gallery) and {@value #AUTO}.
 */
public final class DatasetReaders {

    /** Market-1501 layout name. */
    public static final String MARKET1501 = "market1501";
    /** DukeMTMC-reID layout name. */
    public static final String DUKEMTMC_REID = "dukemtmc-reid";
    /** MSMT17 layout name. */
    public static final String MSMT17 = "msmt17";
    /** Folder per identity + cameras.csv, all images in train. */
    public static final String IDENTITY_FOLDERS = "identity-folders";
    /** Folder per identity + cameras.csv, split into query and gallery. */
    public static final String IDENTITY_FOLDERS_EVAL = "identity-folders-eval";
    /** Detect the layout from the folder's content ({@link #detect(Path)}). */
    public static final String AUTO = "auto";

    private DatasetReaders() {
    }

    /** The layout names {@link #forLayout(String)} accepts, besides aliases and {@value #AUTO}. */
    public static List<String> layouts() {
        return List.of(MARKET1501, DUKEMTMC_REID, MSMT17, IDENTITY_FOLDERS, IDENTITY_FOLDERS_EVAL);
    }

    /**
     * The reader for a layout name ({@value #AUTO} is not one: use {@link #read(Path, String)} or
     * {@link #detect(Path)}).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static DatasetReader forLayout(String name) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").strip();
        return switch (key) {
            case "market1501", "market" -> BoundingBoxLayoutReader.market1501();
            case "dukemtmcreid", "duke" -> BoundingBoxLayoutReader.dukeMtmcReid();
            case "msmt17" -> new Msmt17Reader();
            case "identityfolders" -> new IdentityFolderReader(IdentityFolderReader.Split.TRAIN_ONLY);
            case "identityfolderseval" -> new IdentityFolderReader(IdentityFolderReader.Split.QUERY_GALLERY);
            default -> throw new IllegalArgumentException("unknown dataset layout '" + name + "'; known: "
                    + String.join(", ", layouts()) + " (or " + AUTO + ")");
        };
    }

    /**
     * Picks the reader for what {@code root} holds: {@code bounding_box_train/} means Market-1501,
     * or DukeMTMC-reID when its first image is named {@code PPPP_cC_fFFFFFFF.jpg};
     * {@code list_train.txt} means MSMT17; {@code cameras.csv} means identity folders (train only);
     * without a training folder, {@code query/} plus {@code bounding_box_test/} means a test-only
     * copy of Market-1501 or DukeMTMC-reID (named after the gallery's first image), which only
     * {@link DatasetReader#readEvaluation(Path)} accepts.
     *
     * @throws DatasetFormatException when none of these is there
     */
    public static DatasetReader detect(Path root) {
        DatasetFiles.requireDirectory(root, "dataset root");
        Path boxes = root.resolve(BoundingBoxLayoutReader.TRAIN_DIR);
        if (Files.isDirectory(boxes)) {
            return boundingBoxReaderNamedLike(boxes);
        }
        if (Files.isRegularFile(root.resolve("list_train.txt"))) {
            return new Msmt17Reader();
        }
        if (Files.isRegularFile(root.resolve(IdentityFolderReader.CAMERA_FILE))) {
            return new IdentityFolderReader(IdentityFolderReader.Split.TRAIN_ONLY);
        }
        Path gallery = root.resolve(BoundingBoxLayoutReader.GALLERY_DIR);
        if (Files.isDirectory(root.resolve(BoundingBoxLayoutReader.QUERY_DIR)) && Files.isDirectory(gallery)) {
            return boundingBoxReaderNamedLike(gallery);
        }
        throw new DatasetFormatException(root, "cannot tell the dataset layout: expected "
                + BoundingBoxLayoutReader.TRAIN_DIR + "/ (Market-1501, DukeMTMC-reID), list_train.txt (MSMT17), "
                + IdentityFolderReader.CAMERA_FILE + " (identity folders) or, to evaluate only, "
                + BoundingBoxLayoutReader.QUERY_DIR + "/ and " + BoundingBoxLayoutReader.GALLERY_DIR + "/");
    }

    /** Duke when the folder's first image has a Duke name, else Market-1501 (whose reader then names a bad file). */
    private static DatasetReader boundingBoxReaderNamedLike(Path folder) {
        BoundingBoxLayoutReader duke = BoundingBoxLayoutReader.dukeMtmcReid();
        String first = DatasetFiles.sortedEntries(folder).stream()
                .map(p -> p.getFileName().toString())
                .filter(DatasetFiles::hasImageExtension)
                .findFirst().orElse("");
        return duke.matchesName(first) ? duke : BoundingBoxLayoutReader.market1501();
    }

    /**
     * Reads {@code root} with the named layout, or the detected one for {@value #AUTO}.
     *
     * @throws IllegalArgumentException for an unknown layout name or a malformed tree
     *     ({@link DatasetFormatException})
     */
    public static ReidDataset read(Path root, String layout) {
        DatasetReader reader = AUTO.equalsIgnoreCase(layout == null ? "" : layout.strip())
                ? detect(root) : forLayout(layout);
        return reader.read(root);
    }

    /**
     * Reads the query/gallery split of {@code root} for evaluation ({@link DatasetReader#readEvaluation(Path)}):
     * a folder with only {@code query/} and {@code bounding_box_test/} is accepted; training data,
     * when there, is not read.
     *
     * @throws IllegalArgumentException for an unknown layout name or a malformed tree
     *     ({@link DatasetFormatException})
     */
    public static ReidDataset readEvaluation(Path root, String layout) {
        DatasetReader reader = AUTO.equalsIgnoreCase(layout == null ? "" : layout.strip())
                ? detect(root) : forLayout(layout);
        return reader.readEvaluation(root);
    }
}

package org.reid.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Market-1501 folder layout and its siblings (DukeMTMC-reID):
 * {@code bounding_box_train/} (train), {@code query/} and {@code bounding_box_test/} (gallery),
 * each holding images whose file name carries the identity and the camera.
 *
 * <ul>
 *   <li>Market-1501 names: {@code PPPP_cCsS_FFFFFF_NN.jpg}, e.g. {@code 0002_c1s1_000451_03.jpg}.
 *   <li>DukeMTMC-reID names: {@code PPPP_cC_fFFFFFFF.jpg}, e.g. {@code 0001_c2_f0046182.jpg}.
 * </ul>
 *
 * <p>Rules, as torchreid applies them: pid {@code -1} (junk) is dropped from every split; pid
 * {@code 0} (distractor) is kept in the gallery and dropped from train and query (a distractor has
 * no true match, so it can be neither a class nor a query). Cameras are 1-based in the name
 * ({@code c0} is an error) and 0-based in {@link ReidImage#camId()}. Files whose extension is not
 * jpg/jpeg/png (e.g. {@code Thumbs.db}) and sub-folders are ignored; an image file whose name does
 * not follow the scheme is an error, as is a split that ends up empty.
 */
public final class BoundingBoxLayoutReader implements DatasetReader {

    /** Training folder name. */
    public static final String TRAIN_DIR = "bounding_box_train";
    /** Query folder name. */
    public static final String QUERY_DIR = "query";
    /** Gallery folder name. */
    public static final String GALLERY_DIR = "bounding_box_test";

    private static final Pattern DUKE = Pattern.compile("(-1|\\d+)_c(\\d+)_f(\\d+)\\.(?i:jpe?g|png)");

    private enum Split { TRAIN, QUERY, GALLERY }

    private final String layout;
    private final Pattern pattern;
    private final String scheme;

    private BoundingBoxLayoutReader(String layout, Pattern pattern, String scheme) {
        this.layout = layout;
        this.pattern = pattern;
        this.scheme = scheme;
    }

    /** Market-1501: names {@code PPPP_cCsS_FFFFFF_NN.jpg}. */
    public static BoundingBoxLayoutReader market1501() {
        return new BoundingBoxLayoutReader(DatasetReaders.MARKET1501, MarketName.PATTERN, "PPPP_cCsS_FFFFFF_NN.jpg");
    }

    /** DukeMTMC-reID: names {@code PPPP_cC_fFFFFFFF.jpg}. */
    public static BoundingBoxLayoutReader dukeMtmcReid() {
        return new BoundingBoxLayoutReader(DatasetReaders.DUKEMTMC_REID, DUKE, "PPPP_cC_fFFFFFFF.jpg");
    }

    @Override
    public String layout() {
        return layout;
    }

    /** Whether a file name follows this layout's naming scheme (used by layout detection). */
    public boolean matchesName(String fileName) {
        return pattern.matcher(fileName).matches();
    }

    @Override
    public ReidDataset read(Path root) {
        DatasetFiles.requireDirectory(root, layout + " dataset root");
        List<ReidImage> train = readSplit(root, TRAIN_DIR, Split.TRAIN);
        List<ReidImage> query = readSplit(root, QUERY_DIR, Split.QUERY);
        List<ReidImage> gallery = readSplit(root, GALLERY_DIR, Split.GALLERY);
        return new ReidDataset(layout, train, query, gallery);
    }

    /** The query and gallery folders only: {@code bounding_box_train/} may be absent (a test-only copy). */
    @Override
    public ReidDataset readEvaluation(Path root) {
        DatasetFiles.requireDirectory(root, layout + " dataset root");
        List<ReidImage> query = readSplit(root, QUERY_DIR, Split.QUERY);
        List<ReidImage> gallery = readSplit(root, GALLERY_DIR, Split.GALLERY);
        return new ReidDataset(layout, List.of(), query, gallery);
    }

    private List<ReidImage> readSplit(Path root, String dirName, Split split) {
        Path dir = root.resolve(dirName);
        DatasetFiles.requireDirectory(dir, split.name().toLowerCase() + " split (" + dirName + ")");
        List<ReidImage> images = new ArrayList<>();
        int skipped = 0;
        for (Path file : DatasetFiles.sortedEntries(dir)) {
            String fileName = file.getFileName().toString();
            if (!Files.isRegularFile(file) || !DatasetFiles.hasImageExtension(fileName)) {
                continue;
            }
            Matcher m = pattern.matcher(fileName);
            if (!m.matches()) {
                throw new DatasetFormatException(file, "file name does not match the " + layout
                        + " naming scheme " + scheme);
            }
            Integer pid = DatasetFiles.parseIntOrNull(m.group(1));
            Integer camera = DatasetFiles.parseIntOrNull(m.group(2));
            if (pid == null) {
                throw new DatasetFormatException(file, "identity '" + m.group(1) + "' is not a valid integer");
            }
            if (camera == null || camera < 1) {
                throw new DatasetFormatException(file, "camera 'c" + m.group(2)
                        + "' is invalid: cameras are numbered from 1");
            }
            boolean junk = pid == -1;
            boolean distractor = pid == 0;
            if (junk || (distractor && split != Split.GALLERY)) {
                skipped++;
                continue;
            }
            images.add(new ReidImage(file, pid, camera - 1, dirName + "/" + fileName));
        }
        if (images.isEmpty()) {
            throw new DatasetFormatException(dir, "holds no usable images named " + scheme
                    + (skipped > 0 ? " (" + skipped + " junk/distractor images skipped)" : ""));
        }
        return images;
    }
}

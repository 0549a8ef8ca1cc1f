package org.reid.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads MSMT17 (V1, or V2 with its {@code mask_*_v2} folder names), as torchreid does:
 *
 * <pre>
 * root/train/            (V2: mask_train_v2/)  images of list_train.txt and list_val.txt
 * root/test/             (V2: mask_test_v2/)   images of list_query.txt and list_gallery.txt
 * root/list_train.txt    lines "relative/path.jpg pid", paths relative to the train folder
 * root/list_val.txt      (read only when val is added to train)
 * root/list_query.txt    paths relative to the test folder
 * root/list_gallery.txt
 * </pre>
 *
 * <p>The camera comes from the file name {@code PPPP_SSS_CC_...} (third {@code _}-separated field,
 * 1-based, e.g. {@code 0000_000_01_0303morning_0015_0.jpg} is camera 1, {@code camId} 0). The pid
 * is the list's second column, used as is (train and test pids are both numbered from 0 and are
 * distinct people; only query vs gallery pids are compared). Blank lines are skipped; every other
 * line must have exactly two fields, a non-negative pid, a relative path inside the folder and an
 * existing file, or the read fails naming the list file and line number.
 */
public final class Msmt17Reader implements DatasetReader {

    private final boolean addValToTrain;

    /** The standard setting: list_val.txt is not added to train (torchreid's default). */
    public Msmt17Reader() {
        this(false);
    }

    /**
     * @param addValToTrain add the images of list_val.txt to train (torchreid's {@code combineall})
     */
    public Msmt17Reader(boolean addValToTrain) {
        this.addValToTrain = addValToTrain;
    }

    @Override
    public String layout() {
        return DatasetReaders.MSMT17;
    }

    @Override
    public ReidDataset read(Path root) {
        DatasetFiles.requireDirectory(root, "MSMT17 dataset root");
        Path trainDir = pickDir(root, "train", "mask_train_v2");
        Path testDir = pickDir(root, "test", "mask_test_v2");
        List<ReidImage> train = readList(root, trainDir, "list_train.txt");
        if (addValToTrain) {
            train.addAll(readList(root, trainDir, "list_val.txt"));
        }
        List<ReidImage> query = readList(root, testDir, "list_query.txt");
        List<ReidImage> gallery = readList(root, testDir, "list_gallery.txt");
        return new ReidDataset(layout(), train, query, gallery);
    }

    private static Path pickDir(Path root, String v1, String v2) {
        Path v2Dir = root.resolve(v2);
        if (!Files.isDirectory(root.resolve(v1)) && Files.isDirectory(v2Dir)) {
            return v2Dir;
        }
        Path dir = root.resolve(v1);
        DatasetFiles.requireDirectory(dir, "MSMT17 " + v1 + " image (V2: " + v2 + ")");
        return dir;
    }

    private static List<ReidImage> readList(Path root, Path imageDir, String listName) {
        Path list = root.resolve(listName);
        DatasetFiles.requireFile(list, "MSMT17 list file");
        List<String> lines;
        try {
            lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + list, e);
        }
        String dirName = imageDir.getFileName().toString();
        List<ReidImage> images = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + (i + 1) + " '" + line + "': ";
            String[] fields = line.split("\\s+");
            if (fields.length != 2) {
                throw new DatasetFormatException(list, where + "expected '<relative/path.jpg> <pid>'");
            }
            Integer pid = DatasetFiles.parseIntOrNull(fields[1]);
            if (pid == null || pid < 0) {
                throw new DatasetFormatException(list, where + "pid '" + fields[1] + "' is not a non-negative integer");
            }
            String rel = fields[0].replace('\\', '/');
            Path file = imageDir.resolve(rel).normalize();
            if (rel.startsWith("/") || !file.startsWith(imageDir.normalize())) {
                throw new DatasetFormatException(list, where + "path must be relative to " + dirName + "/");
            }
            int camera = cameraOf(file.getFileName().toString());
            if (camera < 1) {
                throw new DatasetFormatException(list, where + "file name must be PPPP_SSS_CC_... with a camera"
                        + " CC >= 1 in the third '_' field");
            }
            if (!Files.isRegularFile(file)) {
                throw new DatasetFormatException(list, where + "image " + file + " does not exist");
            }
            images.add(new ReidImage(file, pid, camera - 1, dirName + "/" + rel));
        }
        if (images.isEmpty()) {
            throw new DatasetFormatException(list, "lists no images");
        }
        return images;
    }

    /** The 1-based camera of an MSMT17 file name, or -1 when the name does not carry one. */
    private static int cameraOf(String fileName) {
        String[] parts = fileName.split("_");
        if (parts.length < 4 || !parts[2].chars().allMatch(Character::isDigit)) {
            return -1;
        }
        Integer camera = DatasetFiles.parseIntOrNull(parts[2]);
        return camera == null ? -1 : camera;
    }
}

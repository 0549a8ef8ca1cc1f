package org.reid.core.data;

import java.io.File;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One labelled person crop of a re-ID dataset.
 *
 * <p>Camera ids are <b>0-based</b>, as torchreid stores them: Market-1501's {@code c1} is
 * {@code camId == 0}. Dataset files number cameras from 1; the readers subtract one.
 *
 * @param path where the image file lies (as the reader resolved it, normally under the dataset root)
 * @param pid the identity as the dataset numbers it (not contiguous; {@code 0} is Market-1501's
 *     distractor identity, which only the gallery keeps); never negative, junk ({@code -1}) is
 *     dropped by the readers
 * @param camId 0-based camera index
 * @param relativePath the file's path relative to the dataset root, with {@code /} separators; it
 *     names the image in {@link ReidDataset#fingerprint()}, so it must not depend on where the
 *     dataset is unpacked
 */
public record ReidImage(Path path, int pid, int camId, String relativePath) {

    public ReidImage {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(relativePath, "relativePath");
        if (pid < 0) {
            throw new IllegalArgumentException("pid must be >= 0, got " + pid + " for " + path);
        }
        if (camId < 0) {
            throw new IllegalArgumentException("camId must be >= 0 (0-based), got " + camId + " for " + path);
        }
        relativePath = relativePath.replace('\\', '/');
        if (relativePath.isBlank()) {
            throw new IllegalArgumentException("relativePath must not be blank for " + path);
        }
    }

    /**
     * An image whose relative path is {@code path} itself (with {@code /} separators): for images
     * that do not come from a dataset folder, such as in-memory test data.
     */
    public ReidImage(Path path, int pid, int camId) {
        this(path, pid, camId, path.toString().replace(File.separatorChar, '/'));
    }
}

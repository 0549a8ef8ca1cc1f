package org.reid.core.data;

import java.nio.file.Path;

/**
 * Reads one dataset layout from a folder. Implementations check the tree and throw
 * {@link DatasetFormatException} (an {@link IllegalArgumentException}) naming the file or folder
 * at fault; they never decode images.
 */
public interface DatasetReader {

    /** The layout's name, as {@link DatasetReaders#forLayout(String)} knows it and as {@link ReidDataset#name()} reports it. */
    String layout();

    /**
     * Reads the dataset under {@code root}.
     *
     * @throws DatasetFormatException when the tree does not follow the layout
     * @throws java.io.UncheckedIOException when the file system fails
     */
    ReidDataset read(Path root);
}

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

    /**
     * Reads only what evaluation needs, the query/gallery split: a test-only folder is a valid
     * input here, while {@link #read(Path)} keeps demanding training data for training. The
     * returned dataset's train split may be empty. Layouts whose files tie the splits together
     * read everything.
     *
     * @throws DatasetFormatException when the query or gallery part of the tree is missing or malformed
     */
    default ReidDataset readEvaluation(Path root) {
        return read(root);
    }
}

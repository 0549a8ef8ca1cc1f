package org.reid.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path tmp;

    private Path tree() throws IOException {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/deep.txt"), "x");
        Files.writeString(root.resolve("top.txt"), "y");
        return root;
    }

    @Test
    void deleteRecursivelyRemovesTheWholeTree() throws IOException {
        Path root = tree();
        FileTrees.deleteRecursively(root);
        assertThat(root).doesNotExist();
        assertThat(tmp).exists();
    }

    @Test
    void deleteContentsKeepsTheFolderItself() throws IOException {
        Path root = tree();
        FileTrees.deleteContents(root);
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void aMissingFolderIsNothingToDo() throws IOException {
        FileTrees.deleteRecursively(tmp.resolve("never-made"));
        FileTrees.deleteContents(tmp.resolve("never-made"));
        assertThat(tmp.resolve("never-made")).doesNotExist();
    }

    @Test
    void aLinkInsideIsRemovedWithoutFollowingIt() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "z");
        Path root = tree();
        Files.createSymbolicLink(root.resolve("link"), outside);
        FileTrees.deleteRecursively(root);
        assertThat(root).doesNotExist();
        assertThat(outside.resolve("keep.txt")).exists();
    }
}

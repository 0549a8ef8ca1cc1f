package org.reid.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Msmt17ReaderTest {

    @TempDir
    Path root;

    @Test
    void readsListsWithCameraFromTheThirdNameField() {
        ReidDataset ds = new Msmt17Reader().read(TinyTree.msmt17(root));

        assertThat(ds.name()).isEqualTo("msmt17");
        assertThat(ds.train()).extracting(ReidImage::pid).containsExactly(0, 0, 1);
        assertThat(ds.train()).extracting(ReidImage::camId).containsExactly(0, 4, 14);
        assertThat(ds.train().get(2).relativePath()).isEqualTo("train/0001/0001_000_15_0303afternoon_0001_0.jpg");
        assertThat(ds.train().get(2).path()).isEqualTo(root.resolve("train/0001/0001_000_15_0303afternoon_0001_0.jpg"));
        assertThat(ds.query()).extracting(ReidImage::camId).containsExactly(1);
        assertThat(ds.gallery()).extracting(ReidImage::pid).containsExactly(0, 1);
        assertThat(ds.gallery()).extracting(ReidImage::camId).containsExactly(9, 10);
        assertThat(ds.numTrainIdentities()).isEqualTo(2);
    }

    @Test
    void valIsAddedToTrainOnlyWhenAsked() {
        ReidDataset ds = new Msmt17Reader(true).read(TinyTree.msmt17(root));
        assertThat(ds.train()).extracting(ReidImage::pid).containsExactly(0, 0, 1, 2);
        assertThat(ds.train().get(3).camId()).isEqualTo(6);
    }

    @Test
    void readsV2FolderNames() throws Exception {
        TinyTree.msmt17(root);
        Files.move(root.resolve("train"), root.resolve("mask_train_v2"));
        Files.move(root.resolve("test"), root.resolve("mask_test_v2"));
        ReidDataset ds = new Msmt17Reader().read(root);
        assertThat(ds.train().get(0).relativePath()).isEqualTo("mask_train_v2/0000/0000_000_01_0303morning_0015_0.jpg");
        assertThat(ds.gallery()).hasSize(2);
    }

    @Test
    void lineWithThreeFieldsIsNamedWithItsNumber() {
        TinyTree.msmt17(root);
        TinyTree.text(root, "list_query.txt", "0000/0000_000_02_0303morning_0001_0.jpg 0\n"
                + "0000/0000_000_02_0303morning_0001_0.jpg 0 extra\n");
        assertThatThrownBy(() -> new Msmt17Reader().read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("list_query.txt")
                .hasMessageContaining("line 2")
                .hasMessageContaining("expected '<relative/path.jpg> <pid>'");
    }

    @Test
    void nonNumericPidIsRejected() {
        TinyTree.msmt17(root);
        TinyTree.text(root, "list_gallery.txt", "0000/0000_003_10_0303noon_0003_0.jpg zero\n");
        assertThatThrownBy(() -> new Msmt17Reader().read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("list_gallery.txt")
                .hasMessageContaining("line 1")
                .hasMessageContaining("pid 'zero'");
    }

    @Test
    void fileNameWithoutCameraIsRejected() {
        TinyTree.msmt17(root);
        TinyTree.image(root, "test/0000/0000_000_xx_0303morning.jpg");
        TinyTree.text(root, "list_query.txt", "0000/0000_000_xx_0303morning.jpg 0\n");
        assertThatThrownBy(() -> new Msmt17Reader().read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("list_query.txt")
                .hasMessageContaining("PPPP_SSS_CC_");
    }

    @Test
    void listedImageThatIsMissingIsNamed() {
        TinyTree.msmt17(root);
        TinyTree.text(root, "list_train.txt", "0009/0009_000_03_0303morning_0001_0.jpg 9\n");
        assertThatThrownBy(() -> new Msmt17Reader().read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("list_train.txt")
                .hasMessageContaining("0009_000_03_0303morning_0001_0.jpg")
                .hasMessageContaining("does not exist");
    }

    @Test
    void pathEscapingTheImageFolderIsRejected() {
        TinyTree.msmt17(root);
        TinyTree.text(root, "list_train.txt", "../test/0000/0000_000_02_0303morning_0001_0.jpg 0\n");
        assertThatThrownBy(() -> new Msmt17Reader().read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("must be relative to train/");
    }

    @Test
    void missingListFileIsNamed() throws Exception {
        TinyTree.msmt17(root);
        Files.delete(root.resolve("list_gallery.txt"));
        assertThatThrownBy(() -> new Msmt17Reader().read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("list_gallery.txt")
                .hasMessageContaining("missing file");
    }

    @Test
    void missingTestFolderIsNamed() {
        TinyTree.text(root, "list_train.txt", "");
        TinyTree.dir(root, "train");
        assertThatThrownBy(() -> new Msmt17Reader().read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(root.resolve("test").toString())
                .hasMessageContaining("missing folder");
    }

    @Test
    void emptyListIsRejected() {
        TinyTree.msmt17(root);
        TinyTree.text(root, "list_query.txt", "\n\n");
        assertThatThrownBy(() -> new Msmt17Reader().read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("list_query.txt")
                .hasMessageContaining("lists no images");
    }
}

package org.reid.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundingBoxLayoutReaderTest {

    @TempDir
    Path root;

    private static List<String> names(List<ReidImage> images) {
        return images.stream().map(ReidImage::relativePath).toList();
    }

    @Test
    void readsMarketDroppingJunkEverywhereAndDistractorsOutsideTheGallery() {
        ReidDataset ds = BoundingBoxLayoutReader.market1501().read(TinyTree.market(root));

        assertThat(ds.name()).isEqualTo("market1501");
        assertThat(names(ds.train())).containsExactly(
                "bounding_box_train/0002_c1s1_000451_03.jpg",
                "bounding_box_train/0002_c2s1_000551_01.jpg",
                "bounding_box_train/0007_c3s1_000001_01.jpg");
        assertThat(ds.train()).extracting(ReidImage::pid).containsExactly(2, 2, 7);
        assertThat(ds.train()).extracting(ReidImage::camId).containsExactly(0, 1, 2);
        assertThat(ds.query()).extracting(ReidImage::pid).containsExactly(2, 7);
        assertThat(ds.query()).extracting(ReidImage::camId).containsExactly(2, 0);
        // gallery keeps the distractor (pid 0, camera c4 -> 3) and drops the junk
        assertThat(ds.gallery()).extracting(ReidImage::pid).containsExactly(0, 2, 7);
        assertThat(ds.gallery()).extracting(ReidImage::camId).containsExactly(3, 5, 1);
        assertThat(ds.gallery().get(1).path()).isEqualTo(root.resolve("bounding_box_test/0002_c6s2_000300_01.jpg"));
        assertThat(Files.isRegularFile(ds.train().get(0).path())).isTrue();

        assertThat(ds.numTrainIdentities()).isEqualTo(2);
        assertThat(ds.trainPids()).containsExactly(2, 7);
        assertThat(ds.trainLabelMap()).containsExactly(Map.entry(2, 0), Map.entry(7, 1));
        assertThat(ds.trainLabels()).containsExactly(0, 0, 1);
    }

    @Test
    void readsDukeNames() {
        ReidDataset ds = BoundingBoxLayoutReader.dukeMtmcReid().read(TinyTree.duke(root));

        assertThat(ds.name()).isEqualTo("dukemtmc-reid");
        assertThat(ds.train()).extracting(ReidImage::pid).containsExactly(1, 1, 3);
        assertThat(ds.train()).extracting(ReidImage::camId).containsExactly(1, 4, 7);
        assertThat(ds.query()).extracting(ReidImage::camId).containsExactly(0);
        assertThat(ds.gallery()).extracting(ReidImage::pid).containsExactly(5, 9);
        assertThat(ds.numTrainIdentities()).isEqualTo(2);
    }

    @Test
    void dukeNamesAreNotMarketNames() {
        TinyTree.duke(root);
        assertThatThrownBy(() -> BoundingBoxLayoutReader.market1501().read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("0001_c2_f0046182.jpg")
                .hasMessageContaining("PPPP_cCsS_FFFFFF_NN.jpg");
    }

    @Test
    void missingQueryFolderIsNamed() throws Exception {
        TinyTree.market(root);
        try (var s = Files.list(root.resolve("query"))) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(root.resolve("query"));
        assertThatThrownBy(() -> BoundingBoxLayoutReader.market1501().read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(root.resolve("query").toString())
                .hasMessageContaining("missing folder");
    }

    @Test
    void missingRootIsNamed() {
        Path nowhere = root.resolve("nowhere");
        assertThatThrownBy(() -> BoundingBoxLayoutReader.market1501().read(nowhere))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(nowhere.toString())
                .hasMessageContaining("missing folder");
    }

    @Test
    void malformedFileNameIsNamed() {
        TinyTree.market(root);
        TinyTree.image(root, "bounding_box_test/0002_c1_000451.jpg");
        assertThatThrownBy(() -> BoundingBoxLayoutReader.market1501().read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("0002_c1_000451.jpg")
                .hasMessageContaining("does not match");
    }

    @Test
    void cameraZeroIsRejected() {
        TinyTree.market(root);
        TinyTree.image(root, "query/0002_c0s1_000451_01.jpg");
        assertThatThrownBy(() -> BoundingBoxLayoutReader.market1501().read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("0002_c0s1_000451_01.jpg")
                .hasMessageContaining("numbered from 1");
    }

    @Test
    void splitWithOnlyJunkAndDistractorsIsRejected() {
        TinyTree.image(root, "bounding_box_train/-1_c1s1_000401_03.jpg");
        TinyTree.image(root, "bounding_box_train/0000_c1s1_000151_01.jpg");
        TinyTree.image(root, "query/0002_c3s1_000100_00.jpg");
        TinyTree.image(root, "bounding_box_test/0002_c6s2_000300_01.jpg");
        assertThatThrownBy(() -> BoundingBoxLayoutReader.market1501().read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("bounding_box_train")
                .hasMessageContaining("no usable images")
                .hasMessageContaining("2 junk/distractor");
    }

    @Test
    void pidTooLargeForAnIntIsRejected() {
        TinyTree.market(root);
        TinyTree.image(root, "query/99999999999_c1s1_000001_01.jpg");
        assertThatThrownBy(() -> BoundingBoxLayoutReader.market1501().read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("99999999999")
                .hasMessageContaining("not a valid integer");
    }
}

package org.reid.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityFolderReaderTest {

    private static final IdentityFolderReader TRAIN = new IdentityFolderReader(IdentityFolderReader.Split.TRAIN_ONLY);
    private static final IdentityFolderReader EVAL = new IdentityFolderReader(IdentityFolderReader.Split.QUERY_GALLERY);

    @TempDir
    Path root;

    private static List<String> names(List<ReidImage> images) {
        return images.stream().map(ReidImage::relativePath).toList();
    }

    @Test
    void trainOnlyNumbersIdentitiesBySortedFolderName() {
        ReidDataset ds = TRAIN.read(TinyTree.identityFolders(root));

        assertThat(ds.name()).isEqualTo("identity-folders");
        assertThat(names(ds.train())).containsExactly(
                "alice/a1.jpg", "alice/a2.jpg", "bob/b1.png", "bob/b2.jpg",
                "carol/c1.jpg", "carol/c2.jpeg", "carol/c3.jpg");
        assertThat(ds.train()).extracting(ReidImage::pid).containsExactly(0, 0, 1, 1, 2, 2, 2);
        assertThat(ds.train()).extracting(ReidImage::camId).containsExactly(0, 1, 2, 2, 1, 0, 0);
        assertThat(ds.train().get(0).path()).isEqualTo(root.resolve("alice/a1.jpg"));
        assertThat(ds.query()).isEmpty();
        assertThat(ds.gallery()).isEmpty();
        assertThat(ds.numTrainIdentities()).isEqualTo(3);
    }

    @Test
    void evalSplitTakesFirstImageOfLowestCameraOfMultiCameraIdentities() {
        ReidDataset ds = EVAL.read(TinyTree.identityFolders(root));

        assertThat(ds.name()).isEqualTo("identity-folders-eval");
        assertThat(ds.train()).isEmpty();
        // bob is seen by one camera only: gallery only
        assertThat(names(ds.query())).containsExactly("alice/a1.jpg", "carol/c2.jpeg");
        assertThat(names(ds.gallery())).containsExactly(
                "alice/a2.jpg", "bob/b1.png", "bob/b2.jpg", "carol/c1.jpg", "carol/c3.jpg");
        // every query has a same-identity gallery image from another camera
        for (ReidImage q : ds.query()) {
            assertThat(ds.gallery()).anyMatch(g -> g.pid() == q.pid() && g.camId() != q.camId());
        }
    }

    @Test
    void evalSplitWithoutMultiCameraIdentityIsRejected() {
        TinyTree.image(root, "solo/a.jpg");
        TinyTree.image(root, "solo/b.jpg");
        TinyTree.text(root, "cameras.csv", "path,camera\nsolo/a.jpg,1\nsolo/b.jpg,1\n");
        assertThatThrownBy(() -> EVAL.read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("no identity is seen by two or more cameras");
    }

    @Test
    void unknownCameraValueIsNamed() {
        TinyTree.identityFolders(root);
        TinyTree.text(root, "cameras.csv", "path,camera\nalice/a1.jpg,front-door\n");
        assertThatThrownBy(() -> TRAIN.read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("cameras.csv")
                .hasMessageContaining("line 2")
                .hasMessageContaining("unknown camera 'front-door'");
    }

    @Test
    void cameraZeroIsUnknown() {
        TinyTree.identityFolders(root);
        TinyTree.text(root, "cameras.csv", "path,camera\nalice/a1.jpg,0\n");
        assertThatThrownBy(() -> TRAIN.read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("unknown camera '0'");
    }

    @Test
    void rowForAMissingImageIsNamed() {
        TinyTree.identityFolders(root);
        TinyTree.text(root, "cameras.csv", "path,camera\nalice/zz.jpg,1\n");
        assertThatThrownBy(() -> TRAIN.read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("'alice/zz.jpg' is not an image in an identity folder");
    }

    @Test
    void imageWithoutCameraRowIsNamed() {
        TinyTree.identityFolders(root);
        TinyTree.image(root, "carol/c4.jpg");
        assertThatThrownBy(() -> TRAIN.read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("cameras.csv")
                .hasMessageContaining("1 image(s) have no camera row, first: 'carol/c4.jpg'");
    }

    @Test
    void duplicateRowIsRejected() {
        TinyTree.identityFolders(root);
        String csv = readCsv() + "alice/a1.jpg,2\n";
        TinyTree.text(root, "cameras.csv", csv);
        assertThatThrownBy(() -> TRAIN.read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("line 9")
                .hasMessageContaining("listed twice");
    }

    @Test
    void rowWithWrongColumnCountIsRejected() {
        TinyTree.identityFolders(root);
        TinyTree.text(root, "cameras.csv", "path,camera\nalice/a1.jpg;1\n");
        assertThatThrownBy(() -> TRAIN.read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("expected 2 columns");
    }

    @Test
    void aQuotedPathWithACommaAndASpreadsheetByteOrderMarkAreRead() throws Exception {
        TinyTree.image(root, "dave/a, b.jpg");
        TinyTree.image(root, "dave/c.jpg");
        Files.writeString(root.resolve("cameras.csv"),
                "\uFEFFpath,camera\r\n\"dave/a, b.jpg\",1\r\ndave/c.jpg,2\r\n");
        ReidDataset ds = TRAIN.read(root);
        assertThat(names(ds.train())).containsExactly("dave/a, b.jpg", "dave/c.jpg");
        assertThat(ds.train()).extracting(ReidImage::camId).containsExactly(0, 1);
    }

    @Test
    void malformedQuotingNamesTheLineAndColumn() {
        TinyTree.identityFolders(root);
        TinyTree.text(root, "cameras.csv", "path,camera\nalice/a1.jpg,1\n\"alice/a2.jpg\"x,2\n");
        assertThatThrownBy(() -> TRAIN.read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("cameras.csv")
                .hasMessageContaining("line 3, column 16");
    }

    @Test
    void wrongHeaderIsRejected() {
        TinyTree.identityFolders(root);
        TinyTree.text(root, "cameras.csv", "alice/a1.jpg,1\n");
        assertThatThrownBy(() -> TRAIN.read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("header must be 'path,camera'");
    }

    @Test
    void missingCameraFileIsNamed() throws Exception {
        TinyTree.identityFolders(root);
        Files.delete(root.resolve("cameras.csv"));
        assertThatThrownBy(() -> TRAIN.read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(root.resolve("cameras.csv").toString())
                .hasMessageContaining("missing file");
    }

    @Test
    void imageOutsideIdentityFolderIsRejected() {
        TinyTree.identityFolders(root);
        TinyTree.image(root, "stray.jpg");
        assertThatThrownBy(() -> TRAIN.read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("stray.jpg")
                .hasMessageContaining("outside an identity folder");
    }

    @Test
    void nestedFolderIsRejected() {
        TinyTree.identityFolders(root);
        TinyTree.image(root, "alice/more/a3.jpg");
        assertThatThrownBy(() -> TRAIN.read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(root.resolve("alice/more").toString())
                .hasMessageContaining("folder inside an identity folder");
    }

    @Test
    void identityFolderWithoutImagesIsRejected() {
        TinyTree.identityFolders(root);
        TinyTree.text(root, "dave/readme.txt", "no pictures");
        assertThatThrownBy(() -> TRAIN.read(root))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(root.resolve("dave").toString())
                .hasMessageContaining("holds no jpg/jpeg/png images");
    }

    private String readCsv() {
        try {
            return Files.readString(root.resolve("cameras.csv"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

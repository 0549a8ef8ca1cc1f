package org.reid.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reid.core.util.FileTrees;

class DatasetReadersTest {

    @TempDir
    Path tmp;

    @Test
    void layoutNamesAndAliases() {
        assertThat(DatasetReaders.forLayout("market1501").layout()).isEqualTo("market1501");
        assertThat(DatasetReaders.forLayout("Market-1501").layout()).isEqualTo("market1501");
        assertThat(DatasetReaders.forLayout("DukeMTMC_reID").layout()).isEqualTo("dukemtmc-reid");
        assertThat(DatasetReaders.forLayout("duke").layout()).isEqualTo("dukemtmc-reid");
        assertThat(DatasetReaders.forLayout("MSMT17").layout()).isEqualTo("msmt17");
        assertThat(DatasetReaders.forLayout("identity-folders").layout()).isEqualTo("identity-folders");
        assertThat(DatasetReaders.forLayout("identity-folders-eval").layout()).isEqualTo("identity-folders-eval");
        for (String name : DatasetReaders.layouts()) {
            assertThat(DatasetReaders.forLayout(name).layout()).isEqualTo(name);
        }
    }

    @Test
    void unknownLayoutListsTheKnownOnes() {
        assertThatThrownBy(() -> DatasetReaders.forLayout("cuhk03"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown dataset layout 'cuhk03'")
                .hasMessageContaining("market1501, dukemtmc-reid, msmt17");
    }

    @Test
    void detectsEachLayout() {
        assertThat(DatasetReaders.detect(TinyTree.market(tmp.resolve("m"))).layout()).isEqualTo("market1501");
        assertThat(DatasetReaders.detect(TinyTree.duke(tmp.resolve("d"))).layout()).isEqualTo("dukemtmc-reid");
        assertThat(DatasetReaders.detect(TinyTree.msmt17(tmp.resolve("s"))).layout()).isEqualTo("msmt17");
        assertThat(DatasetReaders.detect(TinyTree.identityFolders(tmp.resolve("f"))).layout())
                .isEqualTo("identity-folders");
        assertThat(DatasetReaders.read(tmp.resolve("d"), "auto").train()).hasSize(3);
        assertThat(DatasetReaders.read(tmp.resolve("f"), "identity-folders-eval").query()).hasSize(2);
    }

    @Test
    void aTestOnlyFolderIsReadForEvaluationButNotForTraining() throws Exception {
        Path market = TinyTree.market(tmp.resolve("m"));
        FileTrees.deleteRecursively(market.resolve("bounding_box_train"));
        Path duke = TinyTree.duke(tmp.resolve("d"));
        FileTrees.deleteRecursively(duke.resolve("bounding_box_train"));

        ReidDataset m = DatasetReaders.readEvaluation(market, "auto");
        assertThat(m.name()).isEqualTo("market1501");
        assertThat(m.train()).isEmpty();
        assertThat(m.query()).extracting(ReidImage::pid).containsExactly(2, 7);
        // the reader's conventions hold: junk dropped, the distractor stays in the gallery
        assertThat(m.gallery()).extracting(ReidImage::pid).containsExactly(0, 2, 7);
        assertThat(DatasetReaders.readEvaluation(duke, "auto").name()).isEqualTo("dukemtmc-reid");
        assertThat(DatasetReaders.readEvaluation(market, "market1501").query()).hasSize(2);

        // Training still needs its split: the same folder fails naming the missing training folder.
        assertThatThrownBy(() -> DatasetReaders.read(market, "auto"))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(market.resolve("bounding_box_train").toString())
                .hasMessageContaining("missing folder");
    }

    @Test
    void evaluationStillNeedsTheQueryFolder() throws Exception {
        Path market = TinyTree.market(tmp.resolve("m"));
        FileTrees.deleteRecursively(market.resolve("query"));
        assertThatThrownBy(() -> DatasetReaders.readEvaluation(market, "auto"))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(market.resolve("query").toString());
    }

    @Test
    void undetectableFolderIsNamed() {
        TinyTree.text(tmp, "something/else.txt", "?");
        assertThatThrownBy(() -> DatasetReaders.read(tmp, "auto"))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(tmp.toString())
                .hasMessageContaining("cannot tell the dataset layout");
    }

    @Test
    void fingerprintIgnoresLocationAndOrderButNotContent() {
        ReidDataset a = DatasetReaders.read(TinyTree.market(tmp.resolve("a")), "market1501");
        ReidDataset b = DatasetReaders.read(TinyTree.market(tmp.resolve("elsewhere/b")), "market1501");
        assertThat(a.fingerprint()).matches("[0-9a-f]{64}").isEqualTo(b.fingerprint());

        List<ReidImage> reversed = new ArrayList<>(a.train());
        Collections.reverse(reversed);
        assertThat(new ReidDataset("x", reversed, a.query(), a.gallery()).fingerprint()).isEqualTo(a.fingerprint());

        ReidImage first = a.train().get(0);
        List<ReidImage> relabelled = new ArrayList<>(a.train());
        relabelled.set(0, new ReidImage(first.path(), 7, first.camId(), first.relativePath()));
        assertThat(new ReidDataset("x", relabelled, a.query(), a.gallery()).fingerprint())
                .isNotEqualTo(a.fingerprint());

        // the same images in another split is another dataset
        assertThat(new ReidDataset("x", a.train(), a.gallery(), a.query()).fingerprint())
                .isNotEqualTo(a.fingerprint());
    }

    @Test
    void summaryCountsImagesIdentitiesAndCameras() {
        ReidDataset ds = DatasetReaders.read(TinyTree.market(tmp), "auto");
        assertThat(ds.summary()).isEqualTo("market1501: train 3 images / 2 ids / 3 cameras, "
                + "query 2 images / 2 ids / 2 cameras, gallery 3 images / 3 ids / 3 cameras");
    }
}

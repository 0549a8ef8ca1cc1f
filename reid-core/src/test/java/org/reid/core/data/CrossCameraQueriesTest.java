package org.reid.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrossCameraQueriesTest {

    @TempDir
    Path root;

    private List<String> files(String dir) throws IOException {
        try (Stream<Path> s = Files.list(root.resolve(dir))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void eachIdentityIsQueriedFromOneCameraTheGalleryDoesNotHoldForIt() throws IOException {
        // identity 1: c3 holds 3 of its crops, c6 holds 4 -> queried from c3, like the service's demo
        for (String q : List.of("0001_c3s1_000015_01.jpg", "0001_c6s1_000002_01.jpg",
                "0005_c2s1_000001_01.jpg")) {
            TinyTree.image(root, "query/" + q);
        }
        for (String g : List.of("0001_c3s1_000038_01.jpg", "0001_c3s1_000063_01.jpg", "0001_c6s1_000027_01.jpg",
                "0001_c6s1_000030_01.jpg", "0001_c6s1_000070_01.jpg",
                // identity 5 is seen by camera 2 only: nothing to match across cameras
                "0005_c2s1_000002_01.jpg",
                "0000_c1s1_000001_01.jpg")) {
            TinyTree.image(root, "bounding_box_test/" + g);
        }

        CrossCameraQueries.Result r = CrossCameraQueries.rearrange(root);

        assertThat(files("query")).containsExactly("0001_c3s1_000015_01.jpg", "0001_c3s1_000038_01.jpg",
                "0001_c3s1_000063_01.jpg");
        assertThat(files("bounding_box_test")).containsExactly("0000_c1s1_000001_01.jpg", "0001_c6s1_000002_01.jpg",
                "0001_c6s1_000027_01.jpg", "0001_c6s1_000030_01.jpg", "0001_c6s1_000070_01.jpg",
                "0005_c2s1_000001_01.jpg", "0005_c2s1_000002_01.jpg");
        assertThat(r).isEqualTo(new CrossCameraQueries.Result(3, 7, 2, 2, 1));

        // a second run finds the folder already cross-camera
        assertThat(CrossCameraQueries.rearrange(root)).isEqualTo(new CrossCameraQueries.Result(3, 7, 0, 0, 1));
        assertThat(files("query")).hasSize(3);
    }
}

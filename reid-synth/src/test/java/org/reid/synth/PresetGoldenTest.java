package org.reid.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixed presets render exactly the bytes they rendered before camera randomisation existed:
 * the service's demo world, the generalisation suite's worlds and the bundled model's training
 * world are all rendered from them, and their published numbers assume those pixels. The hashes
 * were taken from the generator before the randomised camera pool was added (generator version 1),
 * on OpenJDK 17.0.15. Java2D's anti-aliasing may differ on another JDK: if only a JDK change
 * breaks this, re-take the hashes there; if a code change breaks it, the presets' pixels moved.
 */
class PresetGoldenTest {
    @TempDir
    Path tmp;

    @Test
    void standardPresetPixelsAreUnchanged() throws Exception {
        SynthConfig c = SynthConfig.builder().identities(8).imagesPerIdentity(6).cameras(4).seed(7)
                .size(64, 32).distractorRate(0.2).junkRate(0.1).build();
        assertThat(imageHash(c, tmp.resolve("standard"))).isEqualTo("616da6e7dc1e535c9780e3bfc68f7e55dcd620baf12022c5274128a3babfed74");
    }

    @Test
    void hardPresetPixelsAreUnchanged() throws Exception {
        SynthConfig c = SynthConfig.hard().toBuilder().identities(8).imagesPerIdentity(6).cameras(4).seed(99)
                .size(64, 32).build();
        assertThat(imageHash(c, tmp.resolve("hard"))).isEqualTo("d4c832725d5fe4c5fd9a49af8e3eddada9ec7054af443915dd7d90a65dd89a83");
    }

    /** SHA-256 over every JPEG and the contact sheet: name, then bytes, in name order. */
    static String imageHash(SynthConfig c, Path out) throws Exception {
        SyntheticDataset.generate(c, out, ProgressListener.NONE);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String f : files(out)) {
            if (f.endsWith(".jpg") || f.endsWith(".png")) {
                sha.update(f.getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(out.resolve(f)));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}

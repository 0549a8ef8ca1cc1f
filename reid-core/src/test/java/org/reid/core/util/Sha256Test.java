package org.reid.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class Sha256Test {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; // FIPS 180-2

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void isTheStandardDigestInLowercaseHex() {
        assertThat(Sha256.hex(utf8("abc"))).isEqualTo(ABC);
    }

    @Test
    void partsAreDigestedAsOneConcatenatedInput() {
        assertThat(Sha256.hex(utf8("a"), utf8("bc"))).isEqualTo(ABC);
        MessageDigest digest = Sha256.newDigest();
        digest.update(utf8("ab"));
        digest.update(utf8("c"));
        assertThat(Sha256.hex(digest)).isEqualTo(ABC);
    }
}

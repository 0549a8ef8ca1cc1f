package org.reid.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarketNameTest {
    @Test
    void carriesTheIdentityAsWrittenAndTheCamera() {
        assertThat(MarketName.parse("0042_c2s1_000151_01.jpg")).contains(new MarketName("0042", 2));
        assertThat(MarketName.parse("7001_c5s2_000202_01.PNG")).contains(new MarketName("7001", 5));
        assertThat(MarketName.parse("0002_c3s1_000100_00.jpeg")).contains(new MarketName("0002", 3));
    }

    @Test
    void camerasMayHaveSeveralDigitsAsTheGalleryExportWritesThem() {
        // GalleryExport: String.format("%04d_c%ds1_%06d_00.%s", pid, camera + 1, entryId, ext)
        String exported = String.format("%04d_c%ds1_%06d_00.%s", 3, 11 + 1, 42, "jpg");
        assertThat(MarketName.parse(exported)).contains(new MarketName("0003", 12));
    }

    @Test
    void junkAndDistractorsAreNamedSo() {
        MarketName junk = MarketName.parse("-1_c3s2_000001_00.jpg").orElseThrow();
        MarketName distractor = MarketName.parse("0000_c1s1_000151_01.jpg").orElseThrow();
        MarketName person = MarketName.parse("0010_c1s1_000151_01.jpg").orElseThrow();
        assertThat(junk.isJunk()).isTrue();
        assertThat(junk.isDistractor()).isFalse();
        assertThat(distractor.isDistractor()).isTrue();
        assertThat(distractor.isJunk()).isFalse();
        assertThat(person.isJunk() || person.isDistractor()).isFalse();
    }

    @Test
    void otherNamesAreNotMarketNames() {
        assertThat(MarketName.parse("holiday.jpg")).isEmpty();
        assertThat(MarketName.parse("0001_c2_f0046182.jpg")).isEmpty(); // DukeMTMC-reID naming
        assertThat(MarketName.parse("-5_c1s1_000001_00.jpg")).isEmpty();
        assertThat(MarketName.parse("0042_c2s1_000151_01.jpg.txt")).isEmpty();
        assertThat(MarketName.parse("0042_c99999999999s1_000151_01.jpg")).isEmpty(); // no int camera
    }
}

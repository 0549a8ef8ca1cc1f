package org.reid.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IndexOptionsTest {

    @Test
    void quantizationParsesTheConfiguredNamesInAnyCase() {
        assertEquals(Quantization.NONE, Quantization.parse("none"));
        assertEquals(Quantization.INT7, Quantization.parse(" INT7 "));
        assertEquals(Quantization.INT4, Quantization.parse("int4"));
        var e = assertThrows(IllegalArgumentException.class, () -> Quantization.parse("int8"));
        assertEquals("quantization must be none, int7 or int4, was int8", e.getMessage());
    }

    @Test
    void invalidOptionsAreRejectedNamingTheValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> IndexOptions.DEFAULTS.withHnsw(1, 100));
        assertTrue(e.getMessage().contains("M=1 (2..512)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IndexOptions.DEFAULTS.withErasure(10, Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("erasureWindow=PT-1S"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IndexOptions.DEFAULTS.withMaxSegmentMb(0));
        assertTrue(e.getMessage().contains("maxSegmentMb=0.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IndexOptions.DEFAULTS.withMergeWorkers(0));
        assertTrue(e.getMessage().contains("mergeWorkers=0 (1..64)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IndexOptions.DEFAULTS.withSearchThreads(65));
        assertTrue(e.getMessage().contains("searchThreads=65 (1..64)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> IndexOptions.DEFAULTS.withGraphMinEntries(-1));
        assertTrue(e.getMessage().contains("graphMinEntries=-1 (0 or more)"), e.getMessage());
    }
}

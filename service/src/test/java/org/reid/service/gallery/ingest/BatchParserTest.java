package org.reid.service.gallery.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.reid.service.config.ReidProperties;
import org.reid.service.problem.Rejection;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.web.multipart.MultipartFile;

class BatchParserTest {
    private final BatchParser parser = new BatchParser(ReidProperties.defaults());

    private static MultipartFile file(String name) {
        return new MockMultipartFile("files", name, "image/jpeg", new byte[] {1, 2, 3});
    }

    @Test
    void csvAndJsonManifestsGiveTheSameItems() {
        List<MultipartFile> files = List.of(file("a.jpg"), file("b.jpg"));
        List<SubmittedItem> csv = parser.fromFiles(files,
                "file,identity,camera,capturedAt\na.jpg,p1,2,2026-11-01T10:00:00Z\nb.jpg,p2,3,\n");
        List<SubmittedItem> json = parser.fromFiles(files, "[{\"file\":\"a.jpg\",\"identity\":\"p1\",\"camera\":2,"
                + "\"capturedAt\":\"2026-11-01T10:00:00Z\"},{\"file\":\"b.jpg\",\"identity\":\"p2\",\"camera\":3}]");
        assertThat(csv).hasSize(2);
        assertThat(csv.get(0).identity()).isEqualTo("p1");
        assertThat(csv.get(0).cameraId()).isEqualTo(2);
        assertThat(csv.get(0).capturedAt()).isEqualTo(json.get(0).capturedAt());
        assertThat(json.get(1).cameraId()).isEqualTo(3);
    }

    @Test
    void csvManifestsAreReadAsSpreadsheetsWriteThem() {
        // a byte order mark, CRLF line ends, and quoted fields holding a comma, quotes and a line break
        List<SubmittedItem> items = parser.fromFiles(List.of(file("a, 1.jpg"), file("b.jpg")),
                "\uFEFFfile,identity,camera\r\n\"a, 1.jpg\",\"Smith, \"\"JJ\"\"\",2\r\nb.jpg,\"two\nlines\",3\r\n");
        assertThat(items).extracting(SubmittedItem::fileName).containsExactly("a, 1.jpg", "b.jpg");
        assertThat(items).extracting(SubmittedItem::identity).containsExactly("Smith, \"JJ\"", "two\nlines");
        assertThat(items).extracting(SubmittedItem::cameraId).containsExactly(2, 3);
    }

    @Test
    void csvErrorsNameTheLineTheRecordStartsOn() {
        List<MultipartFile> files = List.of(file("a.jpg"), file("b.jpg"));
        // the second record spans lines 2-3, so the bad camera is in the record of line 4
        assertThatThrownBy(() -> parser.fromFiles(files, "file,identity,camera\na.jpg,\"x\ny\",1\nb.jpg,p2,front\n"))
                .isInstanceOf(Rejection.class).hasMessageContaining("manifest line 4: camera must be an integer");
        assertThatThrownBy(() -> parser.fromFiles(files, "file,identity,camera\n\"a.jpg\"x,p1,1\n"))
                .isInstanceOf(Rejection.class).hasMessageContaining("manifest line 2, column 9");
    }

    @Test
    void aBrokenJsonManifestIsReportedAsJson() {
        List<MultipartFile> files = List.of(file("a.jpg"));
        assertThatThrownBy(() -> parser.fromFiles(files, "{\"file\": \"a.jpg\", \"identity\": \"p1\", \"camera\": 1}"))
                .isInstanceOf(Rejection.class).hasMessageContaining("a JSON manifest is an array").hasMessageContaining("got object");
        assertThatThrownBy(() -> parser.fromFiles(files, "[{\"file\": \"a.jpg\", "))
                .isInstanceOf(Rejection.class).hasMessageContaining("read as JSON and is not valid JSON");
        // trailing garbage after the array used to be ignored
        assertThatThrownBy(() -> parser.fromFiles(files, "[{\"file\": \"a.jpg\", \"identity\": \"p1\", \"camera\": 1}] oops"))
                .isInstanceOf(Rejection.class).hasMessageContaining("read as JSON and is not valid JSON");
    }

    @Test
    void aFileTheManifestDoesNotNameIsRefused() {
        assertThatThrownBy(() -> parser.fromFiles(List.of(file("a.jpg"), file("extra.jpg")), "file,identity,camera\na.jpg,p1,1\n"))
                .isInstanceOf(Rejection.class).hasMessageContaining("'extra.jpg' is not named in the manifest");
    }

    @Test
    void aHeaderWithoutTheNeededColumnsIsRefused() {
        assertThatThrownBy(() -> parser.fromFiles(List.of(file("a.jpg")), "name,person\na.jpg,p1\n"))
                .isInstanceOf(Rejection.class).hasMessageContaining("line 1 must be the CSV header");
    }

    @Test
    void archiveNamesInMarket1501NamingCarryIdentityAndCamera() throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (String name : List.of("crops/0042_c2s1_000151_01.jpg", "0003_c12s1_000042_00.jpg", "holiday.jpg")) {
                z.putNextEntry(new ZipEntry(name));
                z.write(new byte[] {1, 2, 3});
                z.closeEntry();
            }
        }
        List<SubmittedItem> items = parser.fromArchive(new MockMultipartFile("archive", "crops.zip", "application/zip",
                zip.toByteArray()));
        assertThat(items).extracting(SubmittedItem::fileName, SubmittedItem::identity, SubmittedItem::cameraId)
                .containsExactly(tuple("0042_c2s1_000151_01.jpg", "0042", 2),
                        tuple("0003_c12s1_000042_00.jpg", "0003", 12), // cameras past 9, as the gallery export names them
                        tuple("holiday.jpg", null, 0)); // kept, to fail as an item the operator can see
    }

    /** A zip of {@code count} Market-1501-named entries of {@code size} bytes, zeros or random. */
    private static MultipartFile archive(int count, int size, boolean zeros) throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        java.util.Random random = new java.util.Random(count);
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (int i = 0; i < count; i++) {
                z.putNextEntry(new ZipEntry(String.format("%04d_c1s1_000001_01.jpg", i)));
                byte[] b = new byte[size];
                if (!zeros) {
                    random.nextBytes(b);
                }
                z.write(b);
            }
        }
        return new MockMultipartFile("archive", "crops.zip", "application/zip", zip.toByteArray());
    }

    /** A parser under these {@code reid.limits.*} keys (without the prefix). */
    private static BatchParser parser(java.util.Map<String, String> limits) {
        java.util.Map<String, String> keys = new java.util.HashMap<>();
        limits.forEach((k, v) -> keys.put("limits." + k, v));
        return new BatchParser(ReidProperties.of(keys));
    }

    private static Rejection refused(Runnable r) {
        try {
            r.run();
        } catch (Rejection e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void zipBombsAreRefusedWhileTheyInflateNamingTheLimit() throws IOException {
        BatchParser small = parser(java.util.Map.of("max-image-bytes", "100000", "max-batch-bytes", "300000",
                "max-archive-entries", "5", "max-compression-ratio", "20"));
        Rejection entry = refused(() -> small.fromArchive(uncheck(() -> archive(1, 150_000, false))));
        assertThat(entry.reason()).isEqualTo(Rejection.Reason.TOO_LARGE);
        assertThat(entry.field()).isEqualTo("archive");
        assertThat(entry.limit()).isEqualTo("100000 bytes");
        assertThat(entry.getMessage()).contains("reid.limits.max-image-bytes");
        Rejection total = refused(() -> small.fromArchive(uncheck(() -> archive(4, 90_000, false))));
        assertThat(total.getMessage()).contains("reid.limits.max-batch-bytes");
        assertThat(total.limit()).isEqualTo("300000 bytes");
        Rejection entries = refused(() -> small.fromArchive(uncheck(() -> archive(6, 10, false))));
        assertThat(entries.getMessage()).contains("reid.limits.max-archive-entries");
        // 90 kB of zeros per entry deflates to ~100 bytes
        Rejection ratio = refused(() -> small.fromArchive(uncheck(() -> archive(1, 90_000, true))));
        assertThat(ratio.getMessage()).contains("reid.limits.max-compression-ratio");
        assertThat(ratio.limit()).isEqualTo("20:1");
        // within every limit: read
        assertThat(small.fromArchive(archive(3, 90_000, false))).hasSize(3);
    }

    @Test
    void filesTogetherOverTheBatchByteLimitAreRefusedBeforeTheyAreRead() {
        BatchParser small = parser(java.util.Map.of("max-batch-bytes", "5"));
        Rejection r = refused(() -> small.fromFiles(List.of(file("a.jpg"), file("b.jpg")), "file,identity,camera\na.jpg,p,1\nb.jpg,p,1\n"));
        assertThat(r.field()).isEqualTo("files");
        assertThat(r.limit()).isEqualTo("5 bytes");
        assertThat(r.getMessage()).contains("6 bytes together").contains("reid.limits.max-batch-bytes");
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T uncheck(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

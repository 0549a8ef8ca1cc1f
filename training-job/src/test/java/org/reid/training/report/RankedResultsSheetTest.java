package org.reid.training.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RankedResultsSheetTest {
    @TempDir
    Path dir;

    private static BufferedImage solid(int w, int h, Color c) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    @Test
    void framesRightMatchesGreenAndWrongOnesRed() throws Exception {
        Color blue = new Color(20, 40, 200);
        Color yellow = new Color(240, 220, 30);
        boolean[][] correct = {{true, false, true, false}, {false, false, true}};
        List<RankedResultsSheet.Row> rows = new ArrayList<>();
        for (boolean[] pattern : correct) {
            List<RankedResultsSheet.Match> matches = new ArrayList<>();
            for (int j = 0; j < pattern.length; j++) {
                // Crops of different sizes, as detector boxes come.
                matches.add(new RankedResultsSheet.Match(solid(30 + 10 * j, 90 + 20 * j, yellow), pattern[j],
                        "0.3" + j + "\npid 7 c" + j));
            }
            rows.add(new RankedResultsSheet.Row(solid(64, 128, blue), "pid 7 c1", matches));
        }
        RankedResultsSheet sheet = new RankedResultsSheet().title("test").cellHeight(96);
        Path png = dir.resolve("ranked.png");
        sheet.write(rows, png);
        RankedResultsSheet.Layout layout = sheet.layout(rows);
        BufferedImage image = Pngs.assertPlot(png, layout.width(), layout.height());
        assertThat(layout.columns()).isEqualTo(4);

        for (int r = 0; r < correct.length; r++) {
            Rectangle q = layout.queryCell(r);
            assertThat(rgb(image, q.x + 1, q.y + q.height / 2)).isEqualTo(RankedResultsSheet.QUERY.getRGB());
            assertThat(rgb(image, q.x + q.width / 2, q.y + q.height / 2)).isEqualTo(blue.getRGB());
            for (int j = 0; j < correct[r].length; j++) {
                Rectangle cell = layout.matchCell(r, j);
                int frame = (correct[r][j] ? RankedResultsSheet.CORRECT : RankedResultsSheet.WRONG).getRGB();
                // All four sides of the frame, and the crop's own colour in the middle.
                assertThat(rgb(image, cell.x + 1, cell.y + cell.height / 2)).as("left r%d #%d", r, j + 1).isEqualTo(frame);
                assertThat(rgb(image, cell.x + cell.width - 2, cell.y + 20)).as("right").isEqualTo(frame);
                assertThat(rgb(image, cell.x + cell.width / 2, cell.y + 1)).as("top").isEqualTo(frame);
                assertThat(rgb(image, cell.x + cell.width / 2, cell.y + cell.height - 2)).as("bottom").isEqualTo(frame);
                assertThat(rgb(image, cell.x + cell.width / 2, cell.y + cell.height / 2)).as("crop").isEqualTo(yellow.getRGB());
            }
        }
        // Row 1 has only three results: the fourth cell stays white.
        Rectangle empty = layout.matchCell(1, 3);
        assertThat(rgb(image, empty.x + 1, empty.y + empty.height / 2)).isEqualTo(Color.WHITE.getRGB());
    }

    private static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) | 0xff000000;
    }

    @Test
    void readsCropsFromFilesAndCutsToTopK() throws Exception {
        Path crop = dir.resolve("crop.png");
        ImageIO.write(solid(32, 64, Color.GREEN), "png", crop.toFile());
        List<RankedResultsSheet.Match> matches = new ArrayList<>();
        for (int j = 0; j < 12; j++) {
            matches.add(RankedResultsSheet.Match.of(crop, j % 2 == 0, "a caption far too long for one narrow cell"));
        }
        List<RankedResultsSheet.Row> rows = List.of(RankedResultsSheet.Row.of(crop, null, matches));
        RankedResultsSheet sheet = new RankedResultsSheet();
        assertThat(sheet.layout(rows).columns()).isEqualTo(10);
        BufferedImage image = sheet.render(rows);
        assertThat(image.getWidth()).isEqualTo(sheet.layout(rows).width());
    }

    @Test
    void exampleSheetRenders() throws Exception {
        Random rnd = new Random(2);
        Path png = dir.resolve("example.png");
        RankedResultsSheet sheet = ExamplePlots.rankedSheet(rnd);
        List<RankedResultsSheet.Row> rows = ExamplePlots.rankedRows(rnd);
        sheet.write(rows, png);
        RankedResultsSheet.Layout layout = sheet.layout(rows);
        Pngs.assertPlot(png, layout.width(), layout.height());
    }

    @Test
    void refusesBadInput() throws Exception {
        RankedResultsSheet sheet = new RankedResultsSheet();
        assertThatThrownBy(() -> sheet.render(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no query rows");
        assertThatThrownBy(() -> new RankedResultsSheet.Match(null, true, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("match image is null");
        assertThatThrownBy(() -> new RankedResultsSheet.Row(solid(4, 8, Color.RED), "", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("match list");
        assertThatThrownBy(() -> RankedResultsSheet.Match.of(dir.resolve("missing.png"), true, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
        Path text = Files.writeString(dir.resolve("not-an-image.png"), "hello");
        assertThatThrownBy(() -> RankedResultsSheet.Match.of(text, true, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an image");
        assertThatThrownBy(() -> sheet.cellHeight(8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sheet.topK(0)).isInstanceOf(IllegalArgumentException.class);
    }
}

package org.reid.training.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The ranked-list picture of re-ID papers as PNG: one row per query, the query crop first, then
 * its top-k gallery crops in rank order, each framed green when it shows the query's identity and
 * red when it does not, with a caption under every crop (distance or score, pid, camera).
 *
 * <pre>{@code
 * List<RankedResultsSheet.Row> rows = List.of(new RankedResultsSheet.Row(queryImg, "pid 12 c1",
 *     List.of(new RankedResultsSheet.Match(g1, true, "0.213\npid 12 c3"),
 *             new RankedResultsSheet.Match(g2, false, "0.298\npid 40 c2"))));
 * new RankedResultsSheet().title("MVP r50 v3, Market-1501").write(rows, runDir.resolve("ranked.png"));
 * }</pre>
 *
 * Crops of different sizes are scaled to one cell height, keeping their aspect ratio, and centred
 * in cells of one common width. Captions may hold two lines (split at '\n'); longer text is cut
 * with an ellipsis to the cell width.
 */
public final class RankedResultsSheet {

    static final Color CORRECT = new Color(0, 170, 60);
    static final Color WRONG = new Color(220, 30, 30);
    static final Color QUERY = new Color(70, 70, 70);
    private static final int MARGIN = 12;
    private static final int GAP = 6;
    private static final int QUERY_GAP = 26;
    private static final int ROW_GAP = 10;
    private static final int CAPTION_LINES = 2;

    static {
        Charts.useHeadlessAwt();
    }

    /** One gallery result: its crop, whether it is the query's identity, and a caption. */
    public record Match(BufferedImage image, boolean correct, String caption) {
        public Match {
            if (image == null) {
                throw new IllegalArgumentException("ranked sheet: a match image is null");
            }
            caption = caption == null ? "" : caption;
        }

        /** A match whose crop is read from an image file (PNG, JPEG, ...). */
        public static Match of(Path image, boolean correct, String caption) {
            return new Match(read(image), correct, caption);
        }
    }

    /** One query and its ranked matches, best first. */
    public record Row(BufferedImage query, String caption, List<Match> matches) {
        public Row {
            if (query == null) {
                throw new IllegalArgumentException("ranked sheet: a query image is null");
            }
            if (matches == null) {
                throw new IllegalArgumentException("ranked sheet: the match list of a query is null");
            }
            caption = caption == null ? "" : caption;
            matches = List.copyOf(matches);
        }

        public static Row of(Path query, String caption, List<Match> matches) {
            return new Row(read(query), caption, matches);
        }
    }

    private String title = "";
    private int cellHeight = 128;
    private int topK = 10;

    public RankedResultsSheet title(String title) {
        this.title = title == null ? "" : title;
        return this;
    }

    /** Height every crop is scaled to, in pixels (default 128, as Market-1501 crops). */
    public RankedResultsSheet cellHeight(int px) {
        if (px < 32 || px > 1024) {
            throw new IllegalArgumentException("ranked sheet: cellHeight must be in 32..1024 px, was " + px);
        }
        this.cellHeight = px;
        return this;
    }

    /** Matches shown per query (default 10); longer lists are cut. */
    public RankedResultsSheet topK(int k) {
        if (k < 1 || k > 100) {
            throw new IllegalArgumentException("ranked sheet: topK must be in 1..100, was " + k);
        }
        this.topK = k;
        return this;
    }

    public void write(List<Row> rows, Path png) {
        Charts.writePng(render(rows), png);
    }

    public BufferedImage render(List<Row> rows) {
        Layout layout = layout(rows);
        BufferedImage out = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            drawHeader(g, layout);
            for (int r = 0; r < rows.size(); r++) {
                Row row = rows.get(r);
                drawCell(g, layout, layout.queryCell(r), row.query(), QUERY, row.caption());
                int shown = Math.min(topK, row.matches().size());
                for (int j = 0; j < shown; j++) {
                    Match m = row.matches().get(j);
                    drawCell(g, layout, layout.matchCell(r, j), m.image(), m.correct() ? CORRECT : WRONG, m.caption());
                }
            }
            // A thin line between the query column and the results.
            g.setColor(new Color(200, 200, 200));
            int x = layout.matchCell(0, 0).x - QUERY_GAP / 2;
            g.drawLine(x, layout.queryCell(0).y, x, layout.height() - MARGIN);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Where every cell goes; cells are the framed crops, captions sit below them. */
    record Layout(int border, int imageWidth, int imageHeight, int titleHeight, int headerHeight,
            int captionHeight, int fontSize, int columns, int rows) {

        int cellWidth() {
            return imageWidth + 2 * border;
        }

        int cellHeight() {
            return imageHeight + 2 * border;
        }

        int rowHeight() {
            return cellHeight() + captionHeight + ROW_GAP;
        }

        int width() {
            return 2 * MARGIN + cellWidth() + QUERY_GAP + columns * cellWidth() + Math.max(0, columns - 1) * GAP;
        }

        int height() {
            return MARGIN + titleHeight + headerHeight + rows * rowHeight() + MARGIN - ROW_GAP;
        }

        /** The framed query crop of row r (border included). */
        Rectangle queryCell(int r) {
            return new Rectangle(MARGIN, top(r), cellWidth(), cellHeight());
        }

        /** The framed crop of row r at rank j + 1 (border included). */
        Rectangle matchCell(int r, int j) {
            int x = MARGIN + cellWidth() + QUERY_GAP + j * (cellWidth() + GAP);
            return new Rectangle(x, top(r), cellWidth(), cellHeight());
        }

        private int top(int r) {
            return MARGIN + titleHeight + headerHeight + r * rowHeight();
        }
    }

    Layout layout(List<Row> rows) {
        if (rows == null || rows.isEmpty()) {
            throw new IllegalArgumentException("ranked sheet: no query rows");
        }
        int columns = 1;
        double widest = 0;
        for (Row row : rows) {
            if (row == null) {
                throw new IllegalArgumentException("ranked sheet: a row is null");
            }
            columns = Math.max(columns, Math.min(topK, row.matches().size()));
            widest = Math.max(widest, aspect(row.query()));
            for (int j = 0; j < Math.min(topK, row.matches().size()); j++) {
                widest = Math.max(widest, aspect(row.matches().get(j).image()));
            }
        }
        // The widest crop sets the common cell width, but never wider than square: a stray
        // landscape image is letterboxed instead of stretching every cell.
        int imageWidth = (int) Math.ceil(cellHeight * Math.min(1.0, widest));
        int fontSize = Math.max(10, cellHeight / 11);
        int border = Math.max(3, cellHeight / 32);
        int captionHeight = CAPTION_LINES * (fontSize + 3) + 4;
        int titleHeight = title.isEmpty() ? 0 : fontSize + 16;
        int headerHeight = fontSize + 8;
        return new Layout(border, imageWidth, cellHeight, titleHeight, headerHeight, captionHeight, fontSize, columns,
                rows.size());
    }

    private static double aspect(BufferedImage image) {
        return image.getWidth() / (double) image.getHeight();
    }

    private void drawHeader(Graphics2D g, Layout layout) {
        if (!title.isEmpty()) {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, layout.fontSize() + 4));
            g.setColor(Color.BLACK);
            g.drawString(title, MARGIN, MARGIN + layout.fontSize() + 4);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, layout.fontSize()));
        g.setColor(Color.DARK_GRAY);
        int baseline = MARGIN + layout.titleHeight() + layout.fontSize();
        centered(g, "query", layout.queryCell(0), baseline);
        for (int j = 0; j < layout.columns(); j++) {
            centered(g, "#" + (j + 1), layout.matchCell(0, j), baseline);
        }
    }

    private static void centered(Graphics2D g, String text, Rectangle cell, int baseline) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, cell.x + (cell.width - fm.stringWidth(text)) / 2, baseline);
    }

    private static void drawCell(Graphics2D g, Layout layout, Rectangle cell, BufferedImage image, Color frame,
            String caption) {
        g.setColor(frame);
        g.fillRect(cell.x, cell.y, cell.width, cell.height);
        int b = layout.border();
        g.setColor(new Color(245, 245, 245));
        g.fillRect(cell.x + b, cell.y + b, layout.imageWidth(), layout.imageHeight());
        // Scale to the cell height; a crop wider than the cell is scaled to the width instead.
        double scale = Math.min(layout.imageHeight() / (double) image.getHeight(),
                layout.imageWidth() / (double) image.getWidth());
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        int x = cell.x + b + (layout.imageWidth() - w) / 2;
        int y = cell.y + b + (layout.imageHeight() - h) / 2;
        g.drawImage(image, x, y, w, h, null);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, layout.fontSize()));
        g.setColor(Color.DARK_GRAY);
        FontMetrics fm = g.getFontMetrics();
        String[] lines = caption.split("\n", -1);
        int baseline = cell.y + cell.height + layout.fontSize() + 2;
        for (int i = 0; i < Math.min(CAPTION_LINES, lines.length); i++) {
            String line = fit(lines[i].strip(), fm, cell.width + GAP - 2);
            g.drawString(line, cell.x + (cell.width - fm.stringWidth(line)) / 2, baseline + i * (layout.fontSize() + 3));
        }
    }

    /** The text, cut with an ellipsis so it is at most {@code width} pixels wide. */
    static String fit(String text, FontMetrics fm, int width) {
        if (fm.stringWidth(text) <= width) {
            return text;
        }
        String cut = text;
        while (!cut.isEmpty() && fm.stringWidth(cut + "…") > width) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "…";
    }

    private static BufferedImage read(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("ranked sheet: image path is null");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("ranked sheet: image file " + file + " does not exist");
        }
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new IllegalArgumentException("ranked sheet: " + file + " is not an image ImageIO can decode");
            }
            return image;
        } catch (IOException e) {
            throw new IllegalArgumentException("ranked sheet: cannot read image " + file + ": " + e.getMessage(), e);
        }
    }
}

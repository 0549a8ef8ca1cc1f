package org.reid.synth;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * A PNG grid for people to look at: sample identities in rows, one fresh crop per camera in
 * columns (the first {@value #MAX_COLUMNS} cameras), labelled with the id, look-alike group and clothing, and each camera's character.
 * A look-alike group, when there is one, comes first so the hard case is in plain view.
 */
final class ContactSheet {
    static final int MAX_ROWS = 8;
    /** A randomised world has up to hundreds of cameras: the sheet shows the first ones. */
    static final int MAX_COLUMNS = 12;
    private static final int LABEL_W = 118;
    private static final int HEADER_H = 28;
    private static final int GAP = 2;

    private ContactSheet() {
    }

    static void write(SynthConfig config, DatasetPlan plan, Path file) {
        List<Integer> rows = pickRows(plan);
        int cellW = Math.min(config.width(), 64);
        int cellH = (int) Math.round((double) config.height() * cellW / config.width());
        int cols = Math.min(plan.cameras.length, MAX_COLUMNS);
        int w = LABEL_W + cols * (cellW + GAP);
        int h = HEADER_H + rows.size() * (cellH + GAP);
        BufferedImage sheet = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(new Color(245, 245, 245));
        g.fillRect(0, 0, w, h);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int c = 0; c < cols; c++) {
            CameraProfile cam = plan.cameras[c];
            int x = LABEL_W + c * (cellW + GAP);
            g.drawString("c" + cam.number() + " " + cam.usualView().name().toLowerCase(), x, HEADER_H - 16);
            g.drawString((cam.poorLight() ? "dark " : "") + (cam.lowRes() ? "low-res" : ""), x, HEADER_H - 4);
        }
        SceneRenderer renderer = new SceneRenderer(config.height(), config.width());
        for (int r = 0; r < rows.size(); r++) {
            int pid = rows.get(r);
            Appearance a = plan.appearances.get(pid - 1);
            int y = HEADER_H + r * (cellH + GAP);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
            String id = String.format("%04d %s", pid, plan.isTrain[pid] ? "train" : "test");
            g.drawString(id, 4, y + 14);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            g.drawString(a.lookAlikeGroup() >= 0 ? "look-alike g" + a.lookAlikeGroup() : "", 4, y + 28);
            g.drawString(a.pattern().name().toLowerCase().replace('_', '-'), 4, y + 42);
            String extras = (a.carry() == Appearance.Carry.NONE ? "" : a.carry().name().toLowerCase().replace('_', '-'))
                    + (a.hasHat() ? " hat" : "");
            g.drawString(extras.trim(), 4, y + 56);
            for (int c = 0; c < cols; c++) {
                CameraProfile cam = plan.cameras[c];
                var rnd = Seeds.random(config.seed(), 9, pid, cam.number());
                BufferedImage crop = renderer.render(a, cam, Shot.sample(cam, config, rnd), rnd);
                g.drawImage(crop, LABEL_W + c * (cellW + GAP), y, cellW, cellH, null);
            }
        }
        g.dispose();
        posterize(sheet);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0f); // 0 = smallest file (deflate level 9)
            writer.setOutput(out);
            writer.write(null, new IIOImage(sheet, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } finally {
            writer.dispose();
        }
    }

    /**
     * Drops the lowest 3 bits per channel: the sensor noise then mostly vanishes from the PNG's
     * point of view and the sheet compresses several times smaller, at no visible cost.
     */
    private static void posterize(BufferedImage img) {
        int[] px = PixelEffects.pixels(img);
        for (int i = 0; i < px.length; i++) {
            px[i] &= 0xF0F0F0;
        }
    }

    /** The members of the first look-alike group, then other identities in id order. */
    private static List<Integer> pickRows(DatasetPlan plan) {
        List<Integer> rows = new ArrayList<>();
        int n = plan.appearances.size();
        int group = -1;
        for (int pid = 1; pid <= n && group < 0; pid++) {
            group = plan.appearances.get(pid - 1).lookAlikeGroup();
        }
        if (group >= 0) {
            for (int pid = 1; pid <= n && rows.size() < MAX_ROWS / 2; pid++) {
                if (plan.appearances.get(pid - 1).lookAlikeGroup() == group) {
                    rows.add(pid);
                }
            }
        }
        for (int pid = 1; pid <= n && rows.size() < MAX_ROWS; pid++) {
            if (!rows.contains(pid)) {
                rows.add(pid);
            }
        }
        return rows;
    }
}

package org.reid.training.run;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.reid.core.engine.ReidTrainer;

/**
 * Checkpoints of a run: {@code last.ckpt} after every epoch (for {@code --resume}) and
 * {@code best.ckpt} at the best validation mAP. Each is one file written beside and moved into
 * place atomically, so a crash leaves the previous checkpoint intact, never half of a new one.
 */
public final class Checkpoints {
    /** Where a run stands: the last finished epoch and the best validation result so far. */
    public record Progress(int epochsDone, double bestMap, int bestEpoch) {}

    private final Path dir;

    public Checkpoints(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public Path last() {
        return dir.resolve("last.ckpt");
    }

    public Path best() {
        return dir.resolve("best.ckpt");
    }

    public void save(Path file, ReidTrainer trainer, Progress progress) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (java.io.FileOutputStream stream = new java.io.FileOutputStream(tmp.toFile());
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream))) {
            out.writeInt(progress.epochsDone());
            out.writeDouble(progress.bestMap());
            out.writeInt(progress.bestEpoch());
            trainer.save(out);
            out.flush();
            stream.getFD().sync(); // on disk before it replaces the previous checkpoint
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Loads {@code file} into {@code trainer}; empty when there is no such checkpoint. */
    public Optional<Progress> load(Path file, ReidTrainer trainer) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            Progress p = new Progress(in.readInt(), in.readDouble(), in.readInt());
            trainer.load(in);
            return Optional.of(p);
        } catch (IOException | IllegalArgumentException e) {
            throw new org.reid.training.console.UsageError("checkpoint " + file + " cannot be loaded: " + e.getMessage());
        }
    }
}

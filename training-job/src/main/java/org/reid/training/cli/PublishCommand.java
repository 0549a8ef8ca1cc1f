package org.reid.training.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.reid.core.model.Manifest;
import org.reid.core.model.ModelArtifact;
import org.reid.registry.DirectoryModelRegistry;
import org.reid.registry.JdbcModelRegistry;
import org.reid.registry.ModelRegistry;
import org.reid.registry.RegisteredModel;
import org.reid.training.console.UsageError;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code publish}: stores a model artifact in the model registry as a candidate with its metrics. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish a model artifact to the registry (PostgreSQL or a directory) as a candidate.")
public final class PublishCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, description = "Model artifact (directory or zip).")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--force", description = "Publish even a model no better than its untrained network.")
    boolean force;

    static final class Target {
        @Option(names = "--registry", description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://db:5432/reid?user=reid&password=...")
        String jdbcUrl;

        @Option(names = "--registry-dir", description = "Registry directory (offline form).")
        Path dir;
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(model)) {
            throw new UsageError("--model " + model + " does not exist");
        }
        // Reading the manifest checks the format and every file's sha256 before anything is stored.
        Manifest manifest = ModelArtifact.readManifest(model);
        Manifest.Evaluation evaluation = manifest.evaluation();
        if (evaluation != null && evaluation.noBetterThanUntrained() && !force) {
            throw new UsageError("--model " + model + ": its test mAP " + evaluation.mAP() + " is no better than its "
                    + "untrained network's " + evaluation.untrained().mAP() + " (it must gain "
                    + Manifest.Evaluation.MIN_GAIN + "); train it further, or publish it anyway with --force");
        }
        byte[] zip;
        if (Files.isDirectory(model)) {
            Path tmp = Files.createTempFile("artifact", ".zip");
            try {
                Files.delete(tmp);
                ModelArtifact.zip(model, tmp);
                zip = Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } else {
            zip = Files.readAllBytes(model);
        }
        String manifestJson = JSON.writeValueAsString(manifest);

        ModelRegistry registry = target.jdbcUrl != null
                ? JdbcModelRegistry.connect(target.jdbcUrl)
                : new DirectoryModelRegistry(target.dir);
        RegisteredModel m = registry.publishCandidate(manifest.model().name(), manifest.model().version(), manifestJson,
                ModelArtifact.metricsJson(manifest), zip);
        System.out.printf("published %s %s as %s (id %d, %d bytes, sha256 %s)%n", m.name(), m.version(),
                m.state().label(), m.id(), zip.length, m.artifactSha256());
        return 0;
    }
}

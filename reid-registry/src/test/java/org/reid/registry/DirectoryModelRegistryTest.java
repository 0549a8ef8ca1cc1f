package org.reid.registry;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Runs every assertion of {@link ModelRegistryContract} against this registry form. */
class DirectoryModelRegistryTest extends ModelRegistryContract {
    @TempDir
    Path dir;

    @Override
    ModelRegistry registry() {
        return new DirectoryModelRegistry(dir);
    }
}

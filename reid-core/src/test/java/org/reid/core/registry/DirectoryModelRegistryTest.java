package org.reid.core.registry;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class DirectoryModelRegistryTest extends ModelRegistryContract {
    @TempDir
    Path dir;

    @Override
    ModelRegistry registry() {
        return new DirectoryModelRegistry(dir);
    }
}

package org.reid.training.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The training job's packages import each other one way only (docs/architecture.md):
 * <pre>
 *   (TrainingJob)  the entry point
 *   cli            the picocli commands
 *   run, eval      one training run and its folder; evaluate
 *   report         plots and sheets
 *   console        progress bar, usage errors (exit 2)
 * </pre>
 */
class PackagesTest {

    @Test
    void packagesHaveNoCycles() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.reid.training");
        slices().matching("org.reid.training.(*)..").should().beFreeOfCycles().check(classes);
    }
}

package org.reid.service.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service's packages in layers (docs/architecture.md), each using only the layers below it:
 * <pre>
 *   web                             problem+json answers to every failure
 *   startup                         start-up order, the demo gallery
 *   models                          upload, switch, promotion, replica sync, bootstrap
 *   search, gallery, gallery.ingest the features behind the REST API
 *   serving                         the serving model: predictors, batcher, index, threshold
 *   store, embedding, image, security, problem, config   foundations
 * </pre>
 * The vector index is the reid-index module ({@code org.reid.index}), which cannot see the service.
 */
class LayersTest {
    private static final String BASE = "org.reid.service";
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(BASE);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching(BASE + ".(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage(BASE + "..")
                .layer("Application").definedBy(BASE)
                .layer("Web").definedBy(BASE + ".web..")
                .layer("Startup").definedBy(BASE + ".startup..")
                .layer("Models").definedBy(BASE + ".models..")
                .layer("Features").definedBy(BASE + ".search..", BASE + ".gallery..")
                .layer("Serving").definedBy(BASE + ".serving..")
                .layer("Foundations").definedBy(BASE + ".store..", BASE + ".embedding..",
                        BASE + ".image..", BASE + ".security..", BASE + ".problem..", BASE + ".config..")
                .whereLayer("Application").mayNotBeAccessedByAnyLayer()
                .whereLayer("Web").mayNotBeAccessedByAnyLayer()
                .whereLayer("Startup").mayNotBeAccessedByAnyLayer()
                .whereLayer("Models").mayOnlyBeAccessedByLayers("Startup")
                .whereLayer("Features").mayOnlyBeAccessedByLayers("Models", "Startup")
                .whereLayer("Serving").mayOnlyBeAccessedByLayers("Features", "Models", "Startup")
                .check(classes);
    }

    @Test
    void onlyControllersAndTheWebLayerSpeakHttp() {
        // domain code throws problem.Rejection (a reason, a field, a limit); HTTP statuses and
        // problem+json bodies are the web layer's business
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideOutsideOfPackages(BASE + ".web..", BASE + ".problem..", BASE + ".security..")
                .and().areNotAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
                .should().dependOnClassesThat().haveFullyQualifiedName("org.springframework.http.HttpStatus")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.springframework.http.ProblemDetail")
                .check(classes);
    }

    @Test
    void theEmbeddingBatchersKnowNoSpringServiceCode() {
        // the embedding batchers are plain Java, ready for a module of their own (as the index got: reid-index)
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideInAnyPackage(BASE + ".embedding..")
                .should().dependOnClassesThat().resideInAnyPackage(BASE + ".store..", BASE + ".serving..",
                        BASE + ".gallery..", BASE + ".search..", BASE + ".models..", BASE + ".startup..")
                .check(classes);
    }

    @Test
    void reidKeysAreReadOnlyThroughReidProperties() {
        // ReidProperties is bound once and validated; a key read with @Value or a scheduling
        // placeholder would skip that validation and keep a second default
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits()
                .should(new com.tngtech.archunit.lang.ArchCondition<com.tngtech.archunit.core.domain.JavaCodeUnit>(
                        "read no reid.* key through @Value or @Scheduled") {
                    @Override
                    public void check(com.tngtech.archunit.core.domain.JavaCodeUnit unit,
                            com.tngtech.archunit.lang.ConditionEvents events) {
                        java.util.List<com.tngtech.archunit.core.domain.JavaAnnotation<?>> annotations = new java.util.ArrayList<>(unit.getAnnotations());
                        unit.getParameters().forEach(p -> annotations.addAll(p.getAnnotations()));
                        for (com.tngtech.archunit.core.domain.JavaAnnotation<?> a : annotations) {
                            if (a.getProperties().values().stream().anyMatch(v -> String.valueOf(v).contains("${reid."))) {
                                events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(unit,
                                        unit.getFullName() + " reads a reid.* key through " + a.getRawType().getSimpleName()));
                            }
                        }
                    }
                })
                .check(classes);
    }
}

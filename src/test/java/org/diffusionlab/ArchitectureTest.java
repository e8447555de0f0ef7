package org.diffusionlab;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering: engine knows nothing of the UI or the CLI; the CLI knows nothing of the UI. */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.diffusionlab");
    }

    @Test
    void engineIsFreeOfJavaFxAppAndCli() {
        noClasses().that().resideInAPackage("org.diffusionlab.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..",
                        "org.jfree.chart.fx..", "org.jfree.fx..", "org.diffusionlab.app..", "org.diffusionlab.cli..")
                .check(classes);
    }

    @Test
    void cliDoesNotUseTheApp() {
        noClasses().that().resideInAPackage("org.diffusionlab.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.diffusionlab.app..")
                .check(classes);
    }

    @Test
    void appDoesNotUseTheCli() {
        noClasses().that().resideInAPackage("org.diffusionlab.app..")
                .should().dependOnClassesThat().resideInAPackage("org.diffusionlab.cli..")
                .check(classes);
    }

    /** The screenshot tour and the benchmarks are tools around the app; the app and the engine's other parts start without them. */
    @Test
    void theAppNeedsNeitherTheTourNorTheBenchmarks() {
        noClasses().that().resideInAPackage("org.diffusionlab.app..")
                .should().dependOnClassesThat().resideInAnyPackage("org.diffusionlab.tour..", "org.diffusionlab.engine.bench..")
                .check(classes);
        noClasses().that().resideInAPackage("org.diffusionlab.engine..").and().resideOutsideOfPackage("org.diffusionlab.engine.bench..")
                .should().dependOnClassesThat().resideInAPackage("org.diffusionlab.engine.bench..")
                .check(classes);
    }
}

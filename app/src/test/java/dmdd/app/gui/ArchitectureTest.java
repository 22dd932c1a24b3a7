package dmdd.app.gui;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import javafx.scene.Node;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Module and layer rules the build enforces. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dmdd");
    }

    @Test
    void theImportSeesAllModules() {
        assertThat(classes.stream().map(c -> c.getPackageName()))
                .anyMatch(p -> p.startsWith("dmdd.datasets"))
                .anyMatch(p -> p.startsWith("dmdd.model"))
                .anyMatch(p -> p.startsWith("dmdd.app.gui"));
    }

    @Test
    void datasetsAndModelNeverUseJavaFx() {
        noClasses().that().resideInAnyPackage("dmdd.datasets..", "dmdd.model..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..")
                .check(classes);
    }

    @Test
    void viewModelsHoldNoNodes() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().areAssignableTo(Node.class)
                .check(classes);
    }

    @Test
    void commandLineAndWorkstationNeverImportEachOther() {
        noClasses().that().resideInAPackage("dmdd.app.cli..")
                .should().dependOnClassesThat().resideInAPackage("dmdd.app.gui..").check(classes);
        noClasses().that().resideInAPackage("dmdd.app.gui..")
                .should().dependOnClassesThat().resideInAPackage("dmdd.app.cli..").check(classes);
    }

    @Test
    void screensDoNotImportEachOther() {
        // Each screen is a package; shared types live in project, background and images, wiring in startup.
        List<String> screens = List.of("annotation", "inspection", "main", "metrics", "training");
        for (String screen : screens) {
            String[] others = screens.stream().filter(s -> !s.equals(screen)).map(s -> "dmdd.app.gui." + s + "..")
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage("dmdd.app.gui." + screen + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("screens are wired together in dmdd.app.gui.startup").check(classes);
        }
    }

    @Test
    void viewModelsNeverCallPlatform() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().haveFullyQualifiedName("javafx.application.Platform")
                .because("UI-thread hand-offs go through BackgroundWork, which runs inline in tests").check(classes);
    }

    @Test
    void frontEndsInspectOnlyThroughThePipeline() {
        // One preprocessing and one verdict rule: the command line and the workstation never run the raw
        // Inspector themselves (bench times it on purpose).
        noClasses().that().resideInAPackage("dmdd.app..").and().doNotHaveSimpleName("BenchCommand")
                .should().dependOnClassesThat().haveFullyQualifiedName("dmdd.model.infer.Inspector")
                .because("every front end inspects through dmdd.model.pipeline.InspectionPipeline").check(classes);
    }
}

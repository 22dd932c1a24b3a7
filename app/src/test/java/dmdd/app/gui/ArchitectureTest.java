package dmdd.app.gui;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
}

package dmdd.batch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The batch module builds on the model's pipeline alone: it never reaches into the desktop application
 * (which would bring JavaFX onto the cluster) and never runs the networks itself (one inspection path).
 */
class BatchArchitectureTest {
    /** The module's own classes, imported from its output folder (scanning Spark's jars would take seconds). */
    private static final JavaClasses BATCH = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importUrl(classesFolder());

    private static java.net.URL classesFolder() {
        return BatchJob.class.getProtectionDomain().getCodeSource().getLocation();
    }

    @Test
    void batchNeverUsesTheDesktopApplicationOrJavaFx() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..", "dmdd.app..").check(BATCH);
    }

    @Test
    void batchInspectsOnlyThroughThePipeline() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("dmdd.model.infer.Inspector")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dmdd.model.dmdd.DmddNetworks")
                .orShould().dependOnClassesThat().resideInAnyPackage("ai.djl.ndarray..", "ai.djl.nn..")
                .check(BATCH);
    }
}

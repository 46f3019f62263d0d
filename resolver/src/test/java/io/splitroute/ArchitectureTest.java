package io.splitroute;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resolver's package structure, read from its compiled classes: no package cycles, {@code query} a leaf,
 * and the direction of the layers (cli -> app -> server -> pipeline -> features -> query).
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // The resolver's own main classes only (the lists and ipset-sink modules sit under io.splitroute too);
        // archunit.properties keeps it from resolving every library class they touch, which takes long.
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(Path.of("target/classes"));
    }

    @Test
    void classes_imported() {
        org.assertj.core.api.Assertions.assertThat(classes.contain("io.splitroute.query.Query")).isTrue();
    }

    @Test
    void packages_haveNoCycles() {
        slices().matching("io.splitroute.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void query_dependsOnNoOtherResolverPackage() {
        noClasses().that().resideInAPackage("io.splitroute.query..")
                .should().dependOnClassesThat().resideInAnyPackage("io.splitroute.cache..", "io.splitroute.upstream..",
                        "io.splitroute.config..", "io.splitroute.cli..", "io.splitroute.admin..", "io.splitroute.app..",
                        "io.splitroute.server..", "io.splitroute.pipeline..", "io.splitroute.sets..",
                        "io.splitroute.routing..", "io.splitroute.lists..", "io.splitroute.sink..", "io.splitroute.doctor..")
                .check(classes);
    }

    @Test
    void cli_isUsedByNothing() {
        noClasses().that().resideOutsideOfPackage("io.splitroute.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.splitroute.cli..").check(classes);
    }

    @Test
    void app_isUsedOnlyByCli() {
        noClasses().that().resideOutsideOfPackages("io.splitroute.app..", "io.splitroute.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.splitroute.app..").check(classes);
    }

    @Test
    void doctor_isUsedOnlyByCli_andBuildsNoResolver() {
        noClasses().that().resideOutsideOfPackages("io.splitroute.doctor..", "io.splitroute.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.splitroute.doctor..").check(classes);
        // It checks a running server from outside, as a client: it never assembles or runs one itself.
        noClasses().that().resideInAPackage("io.splitroute.doctor..")
                .should().dependOnClassesThat().resideInAnyPackage("io.splitroute.app..", "io.splitroute.server..",
                        "io.splitroute.pipeline..", "io.splitroute.cache..")
                .check(classes);
    }

    @Test
    void queryPath_doesNotReachUpToAdminOrTheListeners() {
        noClasses().that().resideInAnyPackage("io.splitroute.pipeline..", "io.splitroute.sets..",
                        "io.splitroute.cache..", "io.splitroute.upstream..", "io.splitroute.routing..",
                        "io.splitroute.config..")
                .should().dependOnClassesThat().resideInAnyPackage("io.splitroute.admin..", "io.splitroute.server..")
                .check(classes);
    }

    @Test
    void features_doNotDependOnEachOther() {
        noClasses().that().resideInAPackage("io.splitroute.cache..")
                .should().dependOnClassesThat().resideInAnyPackage("io.splitroute.sets..", "io.splitroute.upstream..")
                .check(classes);
        noClasses().that().resideInAPackage("io.splitroute.sets..")
                .should().dependOnClassesThat().resideInAnyPackage("io.splitroute.config..", "io.splitroute.pipeline..",
                        "io.splitroute.cache..", "io.splitroute.upstream..", "io.splitroute.routing..")
                .check(classes);
        noClasses().that().resideInAPackage("io.splitroute.upstream..")
                .should().dependOnClassesThat().resideInAnyPackage("io.splitroute.sets..", "io.splitroute.cache..",
                        "io.splitroute.pipeline..", "io.splitroute.config..")
                .check(classes);
    }
}

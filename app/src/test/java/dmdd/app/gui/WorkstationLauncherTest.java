package dmdd.app.gui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkstationLauncherTest {

    @Test
    void aMissingGtkOrDisplayBecomesOneLineSayingWhatToDo() {
        String gtk = WorkstationLauncher.missingDesktop(new RuntimeException("Application launch failed",
                new UnsupportedOperationException("Unable to load glass GTK library.")));
        assertThat(gtk).contains("GTK 3").contains("apt-get install libgtk-3-0").contains("dmdd --help")
                .doesNotContain("\n");
        assertThat(WorkstationLauncher.missingDesktop(new UnsupportedOperationException("Unable to open DISPLAY")))
                .contains("graphical desktop");
        assertThat(WorkstationLauncher.missingDesktop(new IllegalStateException("something else"))).isNull();
    }
}

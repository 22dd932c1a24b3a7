package dmdd.datasets.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A skipped file is named once in its message, whether or not the reader's reason names it. */
class ImportReportSkippedTest {
    @Test
    void namesTheFileOnce() {
        Path file = Path.of("/data/line-3/corrupt.png");
        assertThat(new ImportReport.Skipped(file, "Cannot read image /data/line-3/corrupt.png: truncated"))
                .hasToString("Cannot read image /data/line-3/corrupt.png: truncated");
        assertThat(new ImportReport.Skipped(file, "its mask is 10 x 10 px but the image is 20 x 20 px"))
                .hasToString("/data/line-3/corrupt.png: its mask is 10 x 10 px but the image is 20 x 20 px");
    }
}

package dmdd.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The progress line is read by people and by scripts alike: the same ASCII digits whatever the machine's locale. */
class ProgressBarTest {

    @Test
    void digitsAreAsciiUnderALocaleWithItsOwnDigits() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("ar-SA-u-nu-arab"));
            assertThat(String.format("%d", 7)).as("the locale writes its own digits").isNotEqualTo("7");
            StringWriter text = new StringWriter();
            ProgressBar bar = new ProgressBar(new PrintWriter(text), false);
            bar.update(28, 40, "images", null);
            assertThat(text.toString()).contains(" 70%  28/40  images");
            assertThat(ProgressBar.format(Duration.ofSeconds(80))).isEqualTo("1m20s");
            assertThat(ProgressBar.format(Duration.ofSeconds(3725))).isEqualTo("1h02m");
        } finally {
            Locale.setDefault(before);
        }
    }
}

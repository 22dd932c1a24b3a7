package dmdd.app.gui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Scores read on the side of the thresholds that their verdicts say, with the same digits on every screen. */
class ScoreTextTest {
    @Test
    void aScoreNeverReadsEqualToAThresholdItLiesOnTheOtherSideOf() {
        // The gallery's three decimals showed 0.516 for an OK image (0.51588) and an UNSURE one (0.51612).
        assertThat(ScoreText.score(0.51612, 0.51590, 0.5200)).isEqualTo("0.5161");
        assertThat(ScoreText.score(0.51588, 0.51590, 0.5200)).isEqualTo("0.51588");
        assertThat(ScoreText.score(0.515903, 0.51590, 0.5200)).isEqualTo("0.515903");
        assertThat(ScoreText.score(0.51590, 0.51590, 0.5200)).as("the threshold itself").isEqualTo("0.5159");
        assertThat(ScoreText.score(0.7, Double.NaN, Double.NaN)).isEqualTo("0.7000");
        assertThat(ScoreText.score(Double.NaN, 0.5, 0.6)).isEqualTo("\u2013");
    }

    @Test
    void thresholdsReadApartWithTheSameDigitsAndScoresGetAtLeastThose() {
        assertThat(ScoreText.thresholds(0.17451, 0.17482)).containsExactly("0.1745", "0.1748");
        assertThat(ScoreText.thresholds(0.51591, 0.51594)).containsExactly("0.51591", "0.51594");
        assertThat(ScoreText.thresholds(0.51591, Double.NaN)).containsExactly("0.5159", "\u2013");
        assertThat(ScoreText.score(0.9, 0.51591, 0.51594)).isEqualTo("0.90000");
    }
}

package dmdd.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CliInputsTest {
    @Test
    void theNoResultMessageAgreesInNumber() {
        assertThat(CliInputs.noResult(1, 1)).isEqualTo("1 of 1 image has no result");
        assertThat(CliInputs.noResult(1, 2)).isEqualTo("1 of 2 images has no result");
        assertThat(CliInputs.noResult(2, 3)).isEqualTo("2 of 3 images have no result");
    }
}

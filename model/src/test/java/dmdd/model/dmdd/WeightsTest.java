package dmdd.model.dmdd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dmdd.model.engine.DjlRuntime;
import org.junit.jupiter.api.Test;

/** Loading weights overwrites what was there, whatever it was, and keeps the array a network holds. */
class WeightsTest {

    @Test
    void copyIntoOverwritesNonFiniteValuesAndKeepsTheTargetsIdentityAndGradient() {
        DjlRuntime.engine();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.create(new float[] {Float.NaN, Float.POSITIVE_INFINITY, 1f, Float.NEGATIVE_INFINITY},
                    new Shape(2, 2));
            target.setRequiresGradient(true);
            NDArray source = m.create(new double[] {0.5, -2, 3, 4}, new Shape(2, 2)); // float64: converted on the way

            Weights.copyInto(target, source);

            assertThat(target.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(target.toFloatArray()).containsExactly(0.5f, -2f, 3f, 4f);
            assertThat(target.hasGradient()).isTrue();
            assertThatThrownBy(() -> Weights.copyInto(target, m.zeros(new Shape(4))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2, 2)");
        }
    }
}

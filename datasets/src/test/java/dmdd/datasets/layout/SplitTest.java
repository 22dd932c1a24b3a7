package dmdd.datasets.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitTest {
    private final List<Integer> items = IntStream.range(0, 50).boxed().toList();

    @Test
    void sameSeedSameSplitAndEveryItemOnExactlyOneSide() {
        Split<Integer> a = Split.of(items, 0.2, 1);
        Split<Integer> b = Split.of(items, 0.2, 1);
        Split<Integer> other = Split.of(items, 0.2, 2);

        assertThat(a).isEqualTo(b);
        assertThat(a.validation()).hasSize(10);
        assertThat(a.train()).hasSize(40);
        List<Integer> all = new ArrayList<>(a.train());
        all.addAll(a.validation());
        assertThat(all).containsExactlyInAnyOrderElementsOf(items);
        assertThat(a.train()).isSorted();
        assertThat(a.validation()).isSorted().isNotEqualTo(items.subList(0, 10));
        assertThat(other.validation()).isNotEqualTo(a.validation());
    }

    @Test
    void smallSetsKeepBothSidesNonEmpty() {
        assertThat(Split.of(List.of(1, 2), 0.1, 3).validation()).hasSize(1);
        assertThat(Split.of(List.of(1, 2), 0.9, 3).train()).hasSize(1);
        assertThat(Split.of(List.of(1, 2, 3), 0.0, 3).validation()).isEmpty();
        assertThat(Split.of(List.of(1), 0.5, 3).train()).hasSize(1);
        assertThatThrownBy(() -> Split.of(items, 1.5, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachGroupIsHeldOutInItsShare() {
        List<Integer> large = IntStream.range(0, 200).boxed().toList();
        List<Integer> small = IntStream.range(1000, 1012).boxed().toList();
        Split<Integer> split = Split.byGroup(List.of(large, small), 0.1, 7);

        assertThat(split.validation()).filteredOn(i -> i >= 1000).as("the small group's held-out images")
                .hasSize(1);
        assertThat(split.validation()).filteredOn(i -> i < 1000).hasSize(20);
        assertThat(split.train()).hasSize(191);
        assertThat(Split.byGroup(List.of(large), 0.1, 7)).as("one group splits as a plain split")
                .isEqualTo(Split.of(large, 0.1, 7));
        // Pooled, a seed can leave the small group out of the thresholds' images altogether.
        List<Integer> pooled = new ArrayList<>(large);
        pooled.addAll(small);
        assertThat(IntStream.range(0, 50).filter(seed -> Split.of(pooled, 0.1, seed).validation().stream()
                .noneMatch(i -> i >= 1000)).count()).isPositive();
    }
}

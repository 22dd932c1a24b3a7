package dmdd.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The prefetch queue: order, bounds, errors and the thread the batches are made on. */
class BatchPrefetcherTest {
    @Test
    void givesEachStepsBatchInOrderWhicheverThreadMadeIt() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Integer> taken = new ArrayList<>();
        try (BatchPrefetcher<Integer> p = new BatchPrefetcher<>(step -> {
            threads.add(Thread.currentThread().getName());
            return step * step;
        }, 3, 40, 3)) {
            for (int step = 3; step < 40; step++) {
                taken.add(p.take(step));
            }
        }
        assertThat(taken).hasSize(37).first().isEqualTo(9);
        assertThat(taken).last().isEqualTo(39 * 39);
        assertThat(threads).allMatch(t -> t.startsWith("dmdd-batch-prefetch-"));
    }

    @Test
    void withoutWorkersMakesEachBatchOnTheCallersThreadWhenAskedFor() {
        List<String> threads = new ArrayList<>();
        try (BatchPrefetcher<Integer> p = new BatchPrefetcher<>(step -> {
            threads.add(Thread.currentThread().getName());
            return step;
        }, 0, 5, 0)) {
            assertThat(threads).isEmpty();
            assertThat(p.take(0)).isZero();
            assertThat(threads).containsExactly(Thread.currentThread().getName());
        }
    }

    @Test
    void neverMakesStepsBeyondTheEndOrFarAhead() throws InterruptedException {
        Set<Integer> made = ConcurrentHashMap.newKeySet();
        try (BatchPrefetcher<Integer> p = new BatchPrefetcher<>(step -> {
            made.add(step);
            return step;
        }, 0, 100, 2)) {
            p.take(0);
            Thread.sleep(200);
            // two batches per worker ahead of the consumer, never the whole run
            assertThat(made).allMatch(s -> s <= 4);
        }
        try (BatchPrefetcher<Integer> p = new BatchPrefetcher<>(step -> {
            made.add(1000 + step);
            return step;
        }, 0, 2, 4)) {
            assertThat(p.take(0)).isZero();
            assertThat(p.take(1)).isOne();
        }
        assertThat(made).noneMatch(s -> s >= 1002);
    }

    @Test
    void aFailureWhileMakingABatchReachesTheTrainingThread() {
        try (BatchPrefetcher<Integer> p = new BatchPrefetcher<>(step -> {
            if (step == 2) {
                throw new IllegalArgumentException("texture file broken.png cannot be read");
            }
            return step;
        }, 0, 5, 2)) {
            p.take(0);
            p.take(1);
            assertThatThrownBy(() -> p.take(2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("texture file broken.png cannot be read");
        }
    }

    @Test
    void stepsOutOfOrderAreAProgrammingError() {
        try (BatchPrefetcher<Integer> p = new BatchPrefetcher<>(step -> step, 0, 5, 1)) {
            assertThatThrownBy(() -> p.take(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("expected step 0");
        }
    }
}

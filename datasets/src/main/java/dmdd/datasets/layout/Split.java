package dmdd.datasets.layout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A train/validation split made with a fixed seed, so the same files always land on the same side.
 * Both parts keep the items' original order.
 *
 * @param train      the items to train on
 * @param validation the held-out items (for thresholds and early checks, never trained on)
 * @param <T>        the item type
 */
public record Split<T>(List<T> train, List<T> validation) {
    /** The seed used when none is given. */
    public static final long DEFAULT_SEED = 20240803L;

    /**
     * @param train      training items (copied)
     * @param validation validation items (copied)
     */
    public Split {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
    }

    /**
     * Splits items at random with a seed. The validation part gets {@code round(n * fraction)}
     * items, but at least one when the fraction is positive and there are at least two items, and
     * never all of them when the fraction is below 1 (a single item always trains), so neither side
     * is empty by rounding alone.
     *
     * @param items              the items
     * @param validationFraction the share held out, in [0, 1]
     * @param seed               the seed; the same seed and items give the same split
     * @param <T>                the item type
     * @return the split
     */
    public static <T> Split<T> of(List<T> items, double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction <= 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1], got " + validationFraction);
        }
        int n = items.size();
        int count = (int) Math.round(n * validationFraction);
        if (validationFraction > 0 && n >= 2) {
            count = Math.max(1, count);
        }
        if (validationFraction < 1) {
            count = Math.min(Math.max(0, n - 1), count);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(seed));
        boolean[] held = new boolean[n];
        for (int i = 0; i < count; i++) {
            held[order.get(i)] = true;
        }
        List<T> train = new ArrayList<>();
        List<T> validation = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            (held[i] ? validation : train).add(items.get(i));
        }
        return new Split<>(train, validation);
    }

    /**
     * Splits each group on its own ({@link #of(List, double, long)} with the same seed) and joins the parts, so
     * that every group (a part type of a model for several) is held out in its share: a pooled random split can
     * leave a small group out of the thresholds' images altogether. One group splits exactly as {@code of} does.
     *
     * @param groups             the items by group
     * @param validationFraction the share held out of each group, in [0, 1]
     * @param seed               the seed
     * @param <T>                the item type
     * @return the joined split, groups in their order
     */
    public static <T> Split<T> byGroup(List<List<T>> groups, double validationFraction, long seed) {
        List<T> train = new ArrayList<>();
        List<T> validation = new ArrayList<>();
        for (List<T> group : groups) {
            Split<T> part = of(group, validationFraction, seed);
            train.addAll(part.train());
            validation.addAll(part.validation());
        }
        return new Split<>(train, validation);
    }

    /**
     * Splits with {@link #DEFAULT_SEED}.
     *
     * @param items              the items
     * @param validationFraction the share held out, in [0, 1]
     * @param <T>                the item type
     * @return the split
     */
    public static <T> Split<T> of(List<T> items, double validationFraction) {
        return of(items, validationFraction, DEFAULT_SEED);
    }
}

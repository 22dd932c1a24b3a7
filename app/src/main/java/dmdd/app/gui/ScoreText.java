package dmdd.app.gui;

import java.util.Locale;

/**
 * How image scores and thresholds read on every screen (gallery, detail, thresholds, Measure): one format, so the
 * same image shows the same number everywhere, with digits enough that a score never reads equal to a threshold
 * it lies on the other side of (a trained model's thresholds can be a few thousandths apart, and
 * three decimals showed an OK and an UNSURE image with the same number).
 */
public final class ScoreText {
    /** Significant digits shown at least. */
    static final int DIGITS = 4;
    /** Significant digits shown at most. */
    static final int MAX_DIGITS = 9;

    private ScoreText() {
    }

    /**
     * @param value a score or threshold
     * @return it with {@value #DIGITS} significant digits, or a dash when there is none
     */
    public static String of(double value) {
        return Double.isFinite(value) ? at(value, DIGITS) : "\u2013";
    }

    /**
     * A score next to the thresholds that judge it: at least the digits the thresholds need to read apart
     * ({@link #thresholds}), more while it would read equal to a threshold of another value.
     *
     * @param score      the score
     * @param thresholds the thresholds (NaN ones are ignored)
     * @return the text
     */
    public static String score(double score, double... thresholds) {
        if (!Double.isFinite(score)) {
            return of(score);
        }
        int digits = digitsApart(thresholds);
        for (; digits < MAX_DIGITS; digits++) {
            if (readsApart(score, digits, thresholds)) {
                break;
            }
        }
        return at(score, digits);
    }

    /**
     * @param thresholds the thresholds shown together (NaN ones are ignored)
     * @return each with the same digits, enough that different values read apart
     */
    public static String[] thresholds(double... thresholds) {
        int digits = digitsApart(thresholds);
        String[] texts = new String[thresholds.length];
        for (int i = 0; i < thresholds.length; i++) {
            texts[i] = Double.isFinite(thresholds[i]) ? at(thresholds[i], digits) : of(thresholds[i]);
        }
        return texts;
    }

    private static int digitsApart(double... values) {
        int digits = DIGITS;
        for (; digits < MAX_DIGITS; digits++) {
            boolean apart = true;
            for (double v : values) {
                apart &= !Double.isFinite(v) || readsApart(v, digits, values);
            }
            if (apart) {
                break;
            }
        }
        return digits;
    }

    private static boolean readsApart(double value, int digits, double... others) {
        String text = at(value, digits);
        for (double other : others) {
            if (Double.isFinite(other) && other != value && at(other, digits).equals(text)) {
                return false;
            }
        }
        return true;
    }

    private static String at(double value, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "g", value);
    }
}

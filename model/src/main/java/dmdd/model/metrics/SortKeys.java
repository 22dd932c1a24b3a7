package dmdd.model.metrics;

/**
 * Packs a float score and a small non-negative payload into one {@code long} whose natural order is
 * the order of the scores. Sorting one primitive {@code long[]} (8 bytes per pixel) is what keeps the
 * pixel metrics fast and small for millions of pixels: no boxed objects, no index arrays.
 */
final class SortKeys {
    private SortKeys() {
    }

    /**
     * Maps a float to an int with the same order (IEEE-754 trick: flip the magnitude bits of negatives).
     *
     * @param score a score, not NaN
     * @param where names the score's position for the error message
     * @return an order-preserving int
     */
    static int sortableBits(float score, int where) {
        if (Float.isNaN(score)) {
            throw new IllegalArgumentException("score " + where + " is NaN; anomaly maps must be finite");
        }
        // -0.0 and 0.0 are the same threshold: unify them so they form one tie group.
        int bits = Float.floatToIntBits(score == 0f ? 0f : score);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /**
     * Inverse of {@link #sortableBits(float, int)}.
     *
     * @param sortable the sortable bits
     * @return the score
     */
    static float score(int sortable) {
        return Float.intBitsToFloat(sortable ^ ((sortable >> 31) & 0x7fffffff));
    }

    /**
     * @param score   the score
     * @param payload a value in {@code [0, 2^31)}
     * @param where   the score's position (for the error message)
     * @return the key; keys order by score first
     */
    static long key(float score, int payload, int where) {
        return ((long) sortableBits(score, where) << 32) | payload;
    }

    /**
     * @param key a key made by {@link #key(float, int, int)}
     * @return its sortable score bits (equal for tied scores)
     */
    static int scoreBits(long key) {
        return (int) (key >> 32);
    }

    /**
     * @param key a key made by {@link #key(float, int, int)}
     * @return its payload
     */
    static int payload(long key) {
        return (int) key;
    }
}

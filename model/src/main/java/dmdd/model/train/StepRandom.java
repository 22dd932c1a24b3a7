package dmdd.model.train;

import java.util.Random;

/**
 * Each step's random generator depends only on (seed, step), so a run resumed at step k draws
 * exactly the batches and anomalies the uninterrupted run would have drawn at step k, without
 * saving generator state.
 */
public final class StepRandom {
    private StepRandom() {
    }

    /**
     * @param seed the run's seed
     * @param step the 0-based global step
     * @return a generator for that step
     */
    public static Random forStep(long seed, long step) {
        return new Random(mix(seed) ^ mix(step + 0x632BE59BD9B4E019L));
    }

    /** MurmurHash3's 64-bit finaliser: nearby inputs give unrelated outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}

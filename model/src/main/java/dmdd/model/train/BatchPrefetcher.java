package dmdd.model.train;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Prepares training batches ahead of the network, on worker threads, in a bounded queue.
 *
 * <p>Why: anomaly synthesis is Java-side work on the CPU; done inline, the network (above all a GPU)
 * waits for it every step. Each step's batch depends only on the step number (its generator comes
 * from {@link StepRandom}), so batches made by any thread in any order are exactly the batches the
 * sequential loop would make: the result of training does not depend on the worker count. With
 * zero workers every batch is made on the caller's thread when it is asked for.
 *
 * @param <B> the batch type
 */
final class BatchPrefetcher<B> implements AutoCloseable {
    private final IntFunction<B> maker;
    private final int end;
    private final int depth;
    private final ExecutorService workers;
    private final ArrayDeque<Future<B>> queue = new ArrayDeque<>();
    private int nextToSubmit;
    private int nextToTake;

    /**
     * @param maker   makes the batch of a step (must be safe to call from several threads at once)
     * @param first   the first step that will be taken
     * @param end     one past the last step
     * @param workers worker threads; 0 makes every batch inline
     */
    BatchPrefetcher(IntFunction<B> maker, int first, int end, int workers) {
        this.maker = maker;
        this.end = end;
        this.nextToSubmit = first;
        this.nextToTake = first;
        // Two batches per worker keep every worker busy while the network consumes one; more would
        // only hold memory (a 256 px batch of 8 pairs is 12 MB).
        this.depth = 2 * workers;
        this.workers = workers == 0 ? null : Executors.newFixedThreadPool(workers, daemonThreads());
        fill();
    }

    /**
     * The automatic worker count: the processors beyond the two that the network's own threads keep
     * busy, at least one, so that a 16-core GPU workstation synthesises on many cores while a 2-core
     * laptop still overlaps synthesis with the network's single-threaded stretches.
     *
     * @return workers to use
     */
    static int automaticWorkers() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors() - 2));
    }

    /**
     * @param step the step whose batch is wanted; steps must be taken in order
     * @return its batch
     * @throws IllegalStateException when steps are taken out of order
     * @throws RuntimeException      what making the batch threw
     */
    B take(int step) {
        if (step != nextToTake) {
            throw new IllegalStateException("batch of step " + step + " asked for, expected step " + nextToTake);
        }
        nextToTake++;
        if (workers == null) {
            return maker.apply(step);
        }
        Future<B> head = queue.poll();
        fill();
        try {
            return head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the batch of step " + step, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("making the batch of step " + step + " failed", cause);
        }
    }

    private void fill() {
        if (workers == null) {
            return;
        }
        while (queue.size() < depth && nextToSubmit < end) {
            int step = nextToSubmit++;
            queue.add(workers.submit(() -> maker.apply(step)));
        }
    }

    /** Stops the workers; batches made ahead and not taken are dropped. */
    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "dmdd-batch-prefetch-" + count.incrementAndGet());
            t.setDaemon(true); // a cancelled run must never keep the application alive
            return t;
        };
    }
}

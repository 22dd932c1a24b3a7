package dmdd.datasets.image;

import java.io.IOException;

/**
 * A consumer that may fail with an {@link IOException}, such as the code that writes a file's
 * content in {@link AtomicFiles#write(java.nio.file.Path, IOConsumer)}.
 *
 * @param <T> what it consumes
 */
@FunctionalInterface
public interface IOConsumer<T> {
    /**
     * Consumes the value.
     *
     * @param value the value
     * @throws IOException when the work fails
     */
    void accept(T value) throws IOException;
}

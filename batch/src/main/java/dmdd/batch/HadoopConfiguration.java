package dmdd.batch;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration, sent to the executors with the task: Hadoop's {@link Configuration}
 * is not {@link Serializable}, and a fresh one on an executor would miss the {@code spark.hadoop.*}
 * settings (object-store credentials providers, endpoints) the job was started with.
 */
final class HadoopConfiguration implements Serializable {
    private static final long serialVersionUID = 1L;

    private transient Configuration configuration;

    HadoopConfiguration(Configuration configuration) {
        this.configuration = configuration;
    }

    /** @return the configuration */
    Configuration get() {
        return configuration;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        configuration.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        configuration = new Configuration(false);
        configuration.readFields(in);
    }
}

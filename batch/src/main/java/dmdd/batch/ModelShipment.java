package dmdd.batch;

import java.io.Serializable;

/**
 * What every task needs to find and identify the model on its executor: the names under which the
 * driver shipped the model zip and the teacher weights ({@code SparkContext.addFile}, read back with
 * {@code SparkFiles.get}), their SHA-256 checksums (the zip's is the key of the executor's model
 * holder), the device to compute on, and the model's identity for the result rows.
 *
 * @param zipFileName     the model zip's name among the shipped files
 * @param zipSha256       SHA-256 of the model zip (hex): identifies the model
 * @param teacherFileName the teacher weights' name among the shipped files
 * @param teacherSha256   SHA-256 of the teacher weights (hex)
 * @param device          device request for the executors ({@code auto|cpu|gpu[:N]})
 * @param modelVersion    the DMDD Inspector version that exported the zip (its manifest's {@code applicationVersion})
 * @param modelTrainedAt  when the model was trained (its {@code model.json} training {@code createdAt})
 * @param threshold       the model's OK-below image threshold
 * @param ngThreshold     the model's NG-above image threshold
 */
record ModelShipment(String zipFileName, String zipSha256, String teacherFileName, String teacherSha256,
                     String device, String modelVersion, String modelTrainedAt, double threshold,
                     double ngThreshold)
        implements Serializable {
}

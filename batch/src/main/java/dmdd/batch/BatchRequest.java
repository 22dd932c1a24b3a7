package dmdd.batch;

import java.util.List;

/**
 * One batch inspection, as the command line or a test describes it. Paths are Hadoop paths or URIs
 * ({@code /data/x}, {@code file:/data/x}, {@code hdfs://nn/x}, {@code s3a://bucket/x}).
 *
 * @param modelZip       the model zip ({@code dmdd export --model-zip})
 * @param images         folders, files or globs of images (empty when {@code imageList} is given)
 * @param imageList      a text file with one image path per line, or {@code null}
 * @param recursive      whether folders are listed with their sub-folders
 * @param out            the Parquet output folder
 * @param csvOut         a CSV output folder as well, or {@code null}
 * @param overwrite      whether existing outputs are replaced
 * @param mapSide        longest side of the fused-map PNG column, or 0 for no map column
 * @param partitions     number of partitions, or 0 to choose from the number of images and cores
 * @param device         device request for the executors ({@code auto|cpu|gpu[:N]})
 * @param teacherWeights the teacher's converted safetensors file, or {@code null} for the driver's weights
 *                       cache (where {@code dmdd train} and the workstation keep them)
 */
public record BatchRequest(String modelZip, List<String> images, String imageList, boolean recursive, String out,
                           String csvOut, boolean overwrite, int mapSide, int partitions, String device,
                           String teacherWeights) {
    /**
     * The usual request: a model, some inputs, a Parquet folder, no maps, automatic partitions, the
     * default device and teacher weights.
     *
     * @param modelZip the model zip
     * @param images   folders, files or globs
     * @param out      the Parquet output folder
     * @return the request
     */
    public static BatchRequest of(String modelZip, List<String> images, String out) {
        return new BatchRequest(modelZip, images, null, false, out, null, false, 0, 0, "auto", null);
    }
}

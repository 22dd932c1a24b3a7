package dmdd.batch;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The batch result table, one row per input image. It carries the columns of {@code results.csv}
 * that make sense without annotations ({@code score}, {@code verdict} OK/UNSURE/NG/ERROR, {@code threshold},
 * {@code ng_threshold}, {@code error}) plus the model's identity, so that rows scored by different models can share a table.
 */
public final class ResultSchema {
    /** The image's path as given (a line of the list) or as listed (a qualified URI). */
    public static final String PATH = "path";
    /** The image score; null for an ERROR row. */
    public static final String SCORE = "score";
    /** {@code OK}, {@code UNSURE}, {@code NG} or {@code ERROR}. */
    public static final String VERDICT = "verdict";
    /** The model's OK-below image threshold (OK at or below it). */
    public static final String THRESHOLD = "threshold";
    /** The model's NG-above image threshold (NG above it; UNSURE between the two). */
    public static final String NG_THRESHOLD = "ng_threshold";
    /** Why an image has no result (unreadable, not an image, not a finite score); null otherwise. */
    public static final String ERROR = "error";
    /**
     * Why a verdict is less sure, or null: the picture the model saw was distorted (a strip squeezed into the square
     * input, an image smaller than a tile stretched to one, a camera picture read shrunk), as {@code infer} warns.
     */
    public static final String WARNING = "warning";
    /** The DMDD Inspector version that exported the model zip. */
    public static final String MODEL_VERSION = "model_version";
    /** When the model was trained (ISO-8601). */
    public static final String MODEL_TRAINED_AT = "model_trained_at";
    /** SHA-256 of the model zip (what {@code sha256sum model.zip} prints). */
    public static final String MODEL_SHA256 = "model_sha256";
    /** The fused map as a PNG (Turbo colours over the model's calibrated range), with {@code --maps} only. */
    public static final String FUSED_PNG = "fused_png";

    private ResultSchema() {
    }

    /**
     * @param withMaps whether the fused-map PNG column is present
     * @return the table's schema
     */
    public static StructType of(boolean withMaps) {
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField(PATH, DataTypes.StringType, false),
            DataTypes.createStructField(SCORE, DataTypes.DoubleType, true),
            DataTypes.createStructField(VERDICT, DataTypes.StringType, false),
            DataTypes.createStructField(THRESHOLD, DataTypes.DoubleType, false),
            DataTypes.createStructField(NG_THRESHOLD, DataTypes.DoubleType, false),
            DataTypes.createStructField(ERROR, DataTypes.StringType, true),
            DataTypes.createStructField(WARNING, DataTypes.StringType, true),
            DataTypes.createStructField(MODEL_VERSION, DataTypes.StringType, true),
            DataTypes.createStructField(MODEL_TRAINED_AT, DataTypes.StringType, true),
            DataTypes.createStructField(MODEL_SHA256, DataTypes.StringType, false),
        });
        return withMaps ? schema.add(FUSED_PNG, DataTypes.BinaryType, true) : schema;
    }
}

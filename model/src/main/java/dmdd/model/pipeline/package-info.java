/**
 * The inspection pipeline every front end calls (command line, workstation, export): one preprocessing
 * ({@link dmdd.datasets.image.Preprocessing}), one inspection returning the three maps, the score and
 * the verdict ({@link dmdd.model.pipeline.InspectionPipeline}), one verdict rule and one pixel rule
 * ({@link dmdd.model.pipeline.Verdict}), one {@code results.csv} schema
 * ({@link dmdd.model.pipeline.ResultsCsv}). Free of JavaFX.
 */
package dmdd.model.pipeline;

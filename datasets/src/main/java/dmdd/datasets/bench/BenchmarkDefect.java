package dmdd.datasets.bench;

import java.util.Locale;

/**
 * The defect kinds of the development benchmark. They are drawn geometrically and deliberately differ
 * from the training synthesis (Perlin-noise blobs filled with a foreign texture): a model that scores
 * well here has learned what normal looks like, not what the synthesiser draws.
 */
public enum BenchmarkDefect {
    /** Thin curved bright lines (a tool or abrasion mark), 1.5-3.5 px wide. */
    SCRATCH,
    /** Small dark round spots with a specular highlight, 1 to 3 per image. */
    PIT,
    /** Soft irregular blotches with a colour shift (brown, green or blue tint) and soft edges. */
    STAIN,
    /** Dark jagged branching lines (a random walk with side branches), about 1-2 px wide. */
    CRACK;

    /** @return the test / ground_truth folder name, e.g. {@code scratch} */
    public String folderName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

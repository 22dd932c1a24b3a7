package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * How student features are compared with teacher features: per-pixel cosine distance and the
 * segmenter's inputs. Used by the losses and by inference, so both compute it the same way.
 */
public final class Discrepancy {
    private static final double EPS = 1e-8;

    private Discrepancy() {
    }

    /**
     * L2-normalises over the channel axis.
     *
     * @param x N x C x H x W
     * @return x / ||x||_2 per pixel
     */
    public static NDArray unit(NDArray x) {
        return x.normalize(2, 1, EPS);
    }

    /**
     * Per-pixel cosine distance {@code 1 - cos(a, b)} over channels.
     *
     * @param a N x C x H x W
     * @param b N x C x H x W
     * @return N x H x W, in [0, 2]
     */
    public static NDArray cosineDistance(NDArray a, NDArray b) {
        return unit(a).mul(unit(b)).sum(new int[] {1}).neg().add(1f);
    }

    /**
     * The per-channel products {@code t_hat * s_hat} of L2-normalised teacher and student features, for
     * every student output, each teacher level normalised once. Both the branch maps ({@link
     * #levelDistances}) and the segmenter's inputs ({@link #segmenterInputs}) are made from them, so
     * inference normalises and multiplies every feature once, not once per use.
     *
     * @param teacher teacher levels T1..T3
     * @param student student outputs, levels repeating per branch ({@code [norm1..3, abn1..3]} or {@code [s1..3]})
     * @return one product per student output, in its order
     */
    public static NDList unitProducts(List<NDArray> teacher, List<NDArray> student) {
        int levels = teacher.size();
        NDArray[] unitTeacher = new NDArray[levels];
        for (int l = 0; l < levels; l++) {
            unitTeacher[l] = unit(teacher.get(l));
        }
        NDList out = new NDList(student.size());
        for (int i = 0; i < student.size(); i++) {
            out.add(unit(student.get(i)).mul(unitTeacher[i % levels]));
        }
        return out;
    }

    /**
     * The segmenter's inputs for one image batch: for each branch and level, either the per-channel
     * product {@code -t_hat * s_hat} or the {@code 1 - cos} map as one channel.
     *
     * @param unitProducts {@link #unitProducts} of the teacher levels and the student's
     *                     {@code [norm1..3, abn1..3]}
     * @param product      {@code true} for the product form, {@code false} for discrepancy maps
     * @return six arrays, branch-major: norm1, norm2, norm3, abn1, abn2, abn3
     */
    public static NDList segmenterInputs(List<NDArray> unitProducts, boolean product) {
        NDList out = new NDList(unitProducts.size());
        for (NDArray prod : unitProducts) {
            out.add(product ? prod.neg() : prod.sum(new int[] {1}, true).neg().add(1f));
        }
        return out;
    }

    /**
     * One branch's per-level distance maps {@code 1 - cos(S_l, T_l)}, each at its level's own size; the branch
     * map is their sum once each is up-sampled to the input size ({@code dmdd.model.infer.BranchMapAssembler}).
     *
     * @param unitProducts one branch's {@link #unitProducts}, levels 1..3
     * @return one N x H_l x W_l map per level, in the products' order
     */
    public static NDList levelDistances(List<NDArray> unitProducts) {
        NDList out = new NDList(unitProducts.size());
        for (NDArray prod : unitProducts) {
            // 1 - cos, exactly as cosineDistance computes it from the same product
            out.add(prod.sum(new int[] {1}).neg().add(1f));
        }
        return out;
    }
}

package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dmdd.model.engine.FlopCounter;
import java.util.List;
import java.util.Random;

/**
 * AAND's Residual Anomaly Amplification (our reconstruction, {@code docs/methods/AAND.md}): on each frozen teacher
 * level {@code T}, {@code F = T + g * s * r}. The residual {@code r} comes from a small convolutional generator; the
 * attribute scale {@code s} (one factor per channel, from the level's global average) decides which channels the
 * residual changes; the matching-guided gate {@code g} (one value per position) opens where the position matches
 * none of the level's normal prototypes, so features of normal texture stay as the pre-trained teacher made them.
 *
 * <p>Input: the teacher's three levels; output: the three amplified levels, same shapes. The prototypes are
 * parameters that the optimiser never updates ({@link #PROTOTYPES}); {@link #choosePrototypes} fills them from normal
 * teacher features before training.
 */
public final class AnomalyAmplifier extends ComposedBlock implements FlopCounter.Counted {
    /** Name of the prototype parameters: they are chosen, not learned, and no optimiser may update them. */
    public static final String PROTOTYPES = "prototypes";
    private static final float EPS = 1e-8f;
    private final int[] channels;
    private final int prototypeCount;
    private final Block[] generators = new Block[3];
    private final Block[] attributeScales = new Block[3];
    private final Block[] gates = new Block[3];
    private final Parameter[] prototypes = new Parameter[3];

    /**
     * @param levelChannels  the teacher's channels per level
     * @param prototypeCount normal prototypes kept per level
     */
    public AnomalyAmplifier(int[] levelChannels, int prototypeCount) {
        this.channels = levelChannels.clone();
        this.prototypeCount = prototypeCount;
        for (int l = 0; l < 3; l++) {
            int c = channels[l];
            generators[l] = child("generator" + (l + 1), Layers.convBn(c, 3, 1, 1, true).add(Layers.conv(c, 1)), c);
            attributeScales[l] = child("attribute" + (l + 1), Layers.conv(c, 1), c);
            gates[l] = child("gate" + (l + 1), Layers.conv(1, 3), 1);
            prototypes[l] = addParameter(Parameter.builder().setName(PROTOTYPES + (l + 1))
                    .setType(Parameter.Type.WEIGHT).optShape(new Shape(prototypeCount, c)).build());
        }
    }

    /**
     * @param settings      model settings
     * @param levelChannels the teacher's channels per level
     * @return the amplifier those settings describe
     */
    public static AnomalyAmplifier of(DmddSettings settings, int[] levelChannels) {
        return new AnomalyAmplifier(levelChannels, settings.matchingPrototypes());
    }

    /**
     * Takes each level's prototypes from normal teacher features at positions drawn at random (with replacement, so
     * a small batch still fills every prototype).
     *
     * @param normalLevels the teacher's three levels of a batch of normal images
     * @param rng          chooses the positions
     */
    public void choosePrototypes(List<NDArray> normalLevels, Random rng) {
        for (int l = 0; l < 3; l++) {
            NDArray t = normalLevels.get(l);
            Shape s = t.getShape();
            long positions = s.get(0) * s.get(2) * s.get(3);
            // N x C x H x W -> (N H W) x C
            NDArray rows = t.transpose(0, 2, 3, 1).reshape(positions, s.get(1));
            long[] pick = new long[prototypeCount];
            for (int k = 0; k < prototypeCount; k++) {
                pick[k] = rng.nextInt((int) positions);
            }
            NDArray chosen = rows.get(t.getManager().create(pick));
            Weights.copyInto(prototypes[l].getArray(), chosen);
        }
    }

    /**
     * How far each position is from the nearest normal prototype: {@code 1 - max_k cos(T(x), p_k)}.
     *
     * @param level a teacher level, N x C x H x W
     * @param l     its index
     * @param ps    where the prototypes are read
     * @return N x 1 x H x W, in [0, 2]
     */
    NDArray matchingDistance(NDArray level, int l, ParameterStore ps) {
        Shape s = level.getShape();
        NDArray unit = Discrepancy.unit(level).reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
        NDArray p = ps.getValue(prototypes[l], level.getDevice(), false);
        NDArray unitPrototypes = p.normalize(2, 1, EPS);
        // computed from the parameter itself, which lives as long as the weights: this and all that follows from it
        // belong to the call
        unitPrototypes.attach(level.getManager());
        NDArray best = unitPrototypes.matMul(unit).max(new int[] {1}); // N x HW
        return best.neg().add(1f).reshape(s.get(0), 1, s.get(2), s.get(3));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList out = new NDList(3);
        for (int l = 0; l < 3; l++) {
            NDArray t = inputs.get(l);
            NDArray residual = forwardChild(generators[l], ps, t, training);
            NDArray pooled = t.mean(new int[] {3}, true).mean(new int[] {2}, true);
            NDArray scale = Activation.sigmoid(forwardChild(attributeScales[l], ps, pooled, training));
            NDArray gate = Activation.sigmoid(forwardChild(gates[l], ps, matchingDistance(t, l, ps), training));
            out.add(t.add(residual.mul(scale).mul(gate)));
        }
        return out;
    }

    @Override
    public long forwardFlops(Shape... inputShapes) {
        long total = 0;
        for (int l = 0; l < 3; l++) {
            Shape in = inputShapes[l];
            total += FlopCounter.forward(generators[l], in);
            total += FlopCounter.forward(attributeScales[l], new Shape(in.get(0), in.get(1), 1, 1));
            Shape map = new Shape(in.get(0), 1, in.get(2), in.get(3));
            total += FlopCounter.forward(gates[l], map);
            total += 2L * prototypeCount * in.size(); // the prototype matching, a matrix product
        }
        return total;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes.clone();
    }

}

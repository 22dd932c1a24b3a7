package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import dmdd.model.engine.BilinearResize;
import dmdd.model.engine.ChannelPaddedConvolution;
import dmdd.model.engine.FlopCounter;
import dmdd.model.engine.FoldedConvolution;
import java.util.Arrays;
import java.util.List;

/**
 * DMDD's Multi-perception Segmentation Network (our reconstruction, DMDD.md): it fuses the two
 * branches' teacher-student comparisons at every level into one anomaly logit map.
 *
 * <p>Input: one array per level and branch ({@code [norm1, norm2, norm3, abn1, abn2, abn3]}),
 * either the per-channel product {@code -t_hat * s_hat} of L2-normalised features or one
 * {@code 1 - cos} channel each. Each group is upsampled to the size of the first (stride 4), scaled
 * by a learned per-level/per-branch weight and concatenated; then channel attention
 * (squeeze-excitation), spatial attention (CBAM-style: 7x7 convolution over channel mean and max),
 * a 1x1 reduction (or the reduction first and both attentions on its output, {@code segmenterAttention=reduced}),
 * a residual block (or one 3x3 convolution), ASPP (parallel dilated 3x3 convolutions), a 1x1 head, and
 * bilinear upsampling by 4. Output: {@code [logits]}, N x 1 x H x W at the network input size;
 * the anomaly probability is its sigmoid.
 */
public final class MultiPerceptionSegmenter extends ComposedBlock implements FlopCounter.Counted {
    private static final int OUTPUT_STRIDE = 4;
    private final int[] groupChannels;
    private final Parameter groupWeights;
    private final Block squeeze;
    private final Block excite;
    private final Block spatial;
    private final Block reduce;
    private final Block body;
    private final Block[] aspp;
    private final Block asppMerge;
    private final Block head;
    /** Whether the attention looks at the reduced features rather than the concatenated input. */
    private final boolean reducedAttention;

    /**
     * @param groupChannels channels of each input group (level x branch)
     * @param width         channels of the body
     * @param residualBody  a residual block (two 3x3 convolutions) as the body, else one 3x3 convolution
     * @param asppRates     dilation rates of the ASPP branches (a 1x1 branch is always present)
     * @param seReduction   squeeze-excitation reduction ratio
     * @param reducedAttention channel and spatial attention on the {@code width} channels after the 1x1 reduction
     *                      instead of on the concatenated input
     */
    public MultiPerceptionSegmenter(int[] groupChannels, int width, boolean residualBody, List<Integer> asppRates,
            int seReduction, boolean reducedAttention) {
        this.groupChannels = groupChannels.clone();
        this.reducedAttention = reducedAttention;
        int total = Arrays.stream(groupChannels).sum();
        groupWeights = addParameter(Parameter.builder().setName("groupWeights").setType(Parameter.Type.OTHER)
                .optShape(new Shape(groupChannels.length)).optInitializer(new ConstantInitializer(1f)).build());
        int attended = reducedAttention ? width : total;
        int hidden = Math.max(1, attended / seReduction);
        squeeze = child("seSqueeze", Layers.conv(hidden, 1), attended);
        excite = child("seExcite", Layers.conv(attended, 1), hidden);
        spatial = child("spatialAttention", Layers.conv(1, 7), 2);
        reduce = child("reduce", Layers.convBn(width, 1, 1, 1, true), total);
        body = child("body", residualBody ? new ResidualBlock(width, width, 1) : Layers.convBn(width, 3, 1, 1, true),
                width);
        aspp = new Block[asppRates.size() + 1];
        aspp[0] = child("aspp0", Layers.convBn(width, 1, 1, 1, true), width);
        for (int i = 0; i < asppRates.size(); i++) {
            aspp[i + 1] = child("aspp" + (i + 1), Layers.convBn(width, 3, 1, asppRates.get(i), true), width);
        }
        asppMerge = child("asppMerge", Layers.convBn(width, 1, 1, 1, true), width * aspp.length);
        head = child("head", Layers.conv(1, 1), width);
    }

    /**
     * Builds the segmenter that {@code settings} describe.
     *
     * @param settings      model settings
     * @param levelChannels teacher level channels
     * @return the (uninitialised) segmenter
     */
    public static MultiPerceptionSegmenter of(DmddSettings settings, int[] levelChannels) {
        return new MultiPerceptionSegmenter(inputChannels(settings, levelChannels), settings.segmenterWidth(),
                "residual".equals(settings.segmenterBody()), settings.asppRates(), settings.seReduction(),
                "reduced".equals(settings.segmenterAttention()));
    }

    /**
     * @param settings      model settings
     * @param levelChannels teacher level channels
     * @return channels of the six input groups for {@code settings.segmenterInput()}
     */
    public static int[] inputChannels(DmddSettings settings, int[] levelChannels) {
        boolean product = "product".equals(settings.segmenterInput());
        int[] c = new int[2 * levelChannels.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = product ? levelChannels[i % levelChannels.length] : 1;
        }
        return c;
    }

    /** @return the input shapes to initialise with: groups at strides 4, 8, 16 of a 64 x 64 image */
    public Shape[] initShapes() {
        Shape[] s = new Shape[groupChannels.length];
        for (int i = 0; i < s.length; i++) {
            long side = 16 >> (i % 3);
            s[i] = new Shape(1, groupChannels[i], side, side);
        }
        return s;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != groupChannels.length) {
            throw new IllegalArgumentException("segmenter expects " + groupChannels.length + " inputs, got " + inputs.size());
        }
        NDArray first = inputs.get(0);
        long h = first.getShape().get(2);
        long w = first.getShape().get(3);
        NDArray weights = ps.getValue(groupWeights, first.getDevice(), training);
        NDArray x = reducedAttention ? reduceGroups(ps, inputs, weights, h, w, training)
                : concatenated(inputs, weights, h, w);
        // channel attention (squeeze-excitation)
        NDArray pooled = x.mean(new int[] {3}, true).mean(new int[] {2}, true);
        NDArray se = forwardChild(squeeze, ps, pooled, training);
        se = forwardChild(excite, ps, Activation.relu(se), training);
        x = x.mul(Activation.sigmoid(se));
        // spatial attention (CBAM): where to look, from the channel mean and max
        NDArray desc = x.mean(new int[] {1}, true).concat(x.max(new int[] {1}, true), 1);
        NDArray sa = forwardChild(spatial, ps, desc, training);
        x = x.mul(Activation.sigmoid(sa));
        if (!reducedAttention) {
            x = forwardChild(reduce, ps, x, training);
        }
        x = forwardChild(body, ps, x, training);
        NDList branches = new NDList(aspp.length);
        for (Block b : aspp) {
            branches.add(forwardChild(b, ps, x, training));
        }
        x = forwardChild(asppMerge, ps, NDArrays.concat(branches, 1), training);
        NDArray logits = forwardChild(head, ps, x, training);
        return new NDList(BilinearResize.upsample(logits, h * OUTPUT_STRIDE, w * OUTPUT_STRIDE));
    }

    /** The groups up-sampled to {@code h x w}, each scaled by its weight, concatenated along the channels. */
    static NDArray concatenated(NDList inputs, NDArray groupWeights, long h, long w) {
        NDList groups = new NDList(inputs.size());
        for (int g = 0; g < inputs.size(); g++) {
            NDArray weight = groupWeights.get(g);
            weight.attach(inputs.get(0).getManager()); // a slice of a parameter would otherwise live as long as the weights
            groups.add(BilinearResize.upsample(inputs.get(g), h, w).mul(weight));
        }
        return NDArrays.concat(groups, 1);
    }

    /** @return the 1x1 reduction block (convolution, batch norm, ReLU) */
    Block reduce() {
        return reduce;
    }

    /** @return the per-group weights parameter */
    Parameter groupWeights() {
        return groupWeights;
    }

    /**
     * The reduction ({@code reduce}: 1x1 convolution, batch norm, ReLU) of the up-sampled, weighted and concatenated
     * groups, computed without that concatenation: a 1x1 convolution of a concatenation is the sum of 1x1
     * convolutions of its parts (each with its slice of the weights, scaled by its group weight), and a 1x1
     * convolution commutes with bilinear up-sampling (both are linear, one across channels, the other across
     * pixels). So each level's two groups are reduced at their own size and only the reduced channels are
     * up-sampled: the same function to float rounding, without the 304-channel array at stride 4 and its passes.
     * An inference with {@link FoldedBatchNorms} takes the slices and the bias of the folded convolution, as made when
     * the folded forms were, like every other convolution.
     */
    NDArray reduceGroups(ParameterStore ps, NDList inputs, NDArray groupWeights, long h, long w,
            boolean training) {
        List<Block> parts = reduce.getChildren().values(); // convolution, batch norm, ReLU
        Conv2d conv = (Conv2d) parts.get(0);
        NDArray first = inputs.get(0);
        // inference with folded batch norms: the folded weights (the batch norm's scale in them, its shift in the bias)
        FoldedConvolution.Folded folded = training ? null : FoldedBatchNorms.firstConvolution(ps, reduce);
        NDArray weight = folded != null ? folded.weight()
                : ps.getValue(conv.getParameters().get("weight"), first.getDevice(), training);
        int levels = inputs.size() / 2;
        long[] offsets = new long[inputs.size() + 1];
        for (int g = 0; g < inputs.size(); g++) {
            offsets[g + 1] = offsets[g] + groupChannels[g];
        }
        Shape one = new Shape(1, 1);
        Shape none = new Shape(0, 0);
        NDArray sum = null;
        for (int level = 0; level < levels; level++) {
            NDArray reduced = null;
            for (int g = level; g < inputs.size(); g += levels) { // the level's normality group, then abnormality
                // slices of parameters would otherwise live as long as the weights
                NDArray slice = weight.get(":, " + offsets[g] + ":" + offsets[g + 1]);
                slice.attach(first.getManager());
                NDArray groupWeight = groupWeights.get(g);
                groupWeight.attach(first.getManager());
                NDArray scaled = slice.mul(groupWeight);
                NDArray part = ChannelPaddedConvolution.convolve(inputs.get(g), scaled, null, one, none, one, 1);
                reduced = reduced == null ? part : reduced.add(part);
            }
            reduced = BilinearResize.upsample(reduced, h, w);
            sum = sum == null ? reduced : sum.add(reduced);
        }
        NDArray bias = folded != null ? folded.bias() : conv.isIncludeBias()
                ? ps.getValue(conv.getParameters().get("bias"), first.getDevice(), training) : null;
        if (bias != null) {
            NDArray column = bias.reshape(1, -1, 1, 1);
            column.attach(first.getManager());
            sum = sum.add(column);
        }
        NDArray x = sum;
        // the blocks after the convolution: the batch norm (unless folded in) and the ReLU
        for (Block rest : parts.subList(folded != null ? 2 : 1, parts.size())) {
            x = rest.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        return x;
    }

    @Override
    public long forwardFlops(Shape... inputShapes) {
        Shape first = inputShapes[0];
        long n = first.get(0);
        long h = first.get(2);
        long w = first.get(3);
        long total = Arrays.stream(groupChannels).sum();
        int width = (int) reduce.getOutputShapes(new Shape[] {new Shape(n, total, h, w)})[0].get(1);
        long attended = reducedAttention ? width : total;
        long flops = FlopCounter.forward(squeeze, new Shape(n, attended, 1, 1));
        flops += FlopCounter.forward(excite, squeeze.getOutputShapes(new Shape[] {new Shape(n, attended, 1, 1)}));
        flops += FlopCounter.forward(spatial, new Shape(n, 2, h, w));
        if (reducedAttention) {
            // reduceGroups: each group reduced at its own size
            for (Shape g : inputShapes) {
                flops += 2L * g.get(1) * width * g.get(0) * g.get(2) * g.get(3);
            }
        } else {
            flops += FlopCounter.forward(reduce, new Shape(n, total, h, w));
        }
        Shape body = new Shape(n, width, h, w);
        flops += FlopCounter.forward(this.body, body);
        for (Block b : aspp) {
            flops += FlopCounter.forward(b, body);
        }
        flops += FlopCounter.forward(asppMerge, new Shape(n, (long) width * aspp.length, h, w));
        flops += FlopCounter.forward(head, body);
        return flops;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), 1, in.get(2) * OUTPUT_STRIDE, in.get(3) * OUTPUT_STRIDE)};
    }
}

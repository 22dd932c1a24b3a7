package dmdd.model.teacher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

/**
 * torchvision's ResNet-18 (BasicBlock, [2, 2, 2, 2]) and WideResNet-50-2 (Bottleneck with twice
 * the inner width, [3, 4, 6, 3]) as DJL blocks, with torchvision's tensor names
 * ({@code conv1.weight}, {@code layer1.0.bn2.running_var}, {@code layer2.0.downsample.0.weight},
 * ...), which timm's {@code *.tv_in1k} safetensors files use too.
 *
 * <p>Levels: the outputs of {@code layer1}, {@code layer2} and {@code layer3} (strides 4, 8, 16).
 * With the classifier, {@code layer4}, global average pooling and {@code fc} (1000 ImageNet
 * classes, softmax) follow. Batch-norm epsilon is 1e-5, as in torchvision.
 */
public final class ResNet extends BackboneBlock {
    private static final float EPSILON = 1e-5f;
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    private static final int IMAGENET_CLASSES = 1000;

    private final boolean bottleneck;
    private int inChannels = 64;

    /**
     * Builds the network with random weights; {@link Teachers} loads real ones.
     *
     * @param kind           {@link BackboneKind#RESNET18} or {@link BackboneKind#WIDE_RESNET50_2}
     * @param withClassifier whether to build layer4 and the ImageNet classifier too
     */
    public ResNet(BackboneKind kind, boolean withClassifier) {
        super(kind, withClassifier);
        int[] blocks = switch (kind) {
            case RESNET18 -> new int[] {2, 2, 2, 2};
            case WIDE_RESNET50_2 -> new int[] {3, 4, 6, 3};
            case MOBILENET_V2, MOBILENET_V2_140 -> throw new IllegalArgumentException("MobileNetV2 is not a ResNet");
        };
        bottleneck = kind == BackboneKind.WIDE_RESNET50_2;
        SequentialBlock stem = new SequentialBlock()
                .add(conv("conv1.weight", 64, 7, 2, 3, 1))
                .add(torchBatchNorm("bn1"))
                .add(Op.relu())
                .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        addStage("level1", stem.add(layer(1, 64, blocks[0], 1)));
        addStage("level2", layer(2, 128, blocks[1], 2));
        addStage("level3", layer(3, 256, blocks[2], 2));
        if (withClassifier) {
            addStage("classifier", new SequentialBlock()
                    .add(layer(4, 512, blocks[3], 2))
                    .add(Op.globalAveragePool())
                    .add(dense(IMAGENET_CLASSES, "fc.weight", "fc.bias"))
                    .add(Op.softmax()));
        }
    }

    /** ImageNet mean/std normalisation, as torchvision trained these weights. */
    @Override
    public NDArray normalize(NDArray rgb01) {
        NDArray mean = rgb01.getManager().create(IMAGENET_MEAN, new Shape(1, 3, 1, 1));
        NDArray std = rgb01.getManager().create(IMAGENET_STD, new Shape(1, 3, 1, 1));
        return rgb01.sub(mean).div(std);
    }

    private SequentialBlock layer(int index, int planes, int count, int stride) {
        SequentialBlock layer = new SequentialBlock();
        for (int i = 0; i < count; i++) {
            String prefix = "layer" + index + "." + i + ".";
            layer.add(bottleneck ? bottleneckBlock(prefix, planes, i == 0 ? stride : 1)
                    : basicBlock(prefix, planes, i == 0 ? stride : 1));
        }
        return layer;
    }

    private Block basicBlock(String prefix, int planes, int stride) {
        SequentialBlock body = new SequentialBlock()
                .add(conv(prefix + "conv1.weight", planes, 3, stride, 1, 1))
                .add(torchBatchNorm(prefix + "bn1"))
                .add(Op.relu())
                .add(conv(prefix + "conv2.weight", planes, 3, 1, 1, 1))
                .add(torchBatchNorm(prefix + "bn2"));
        Block shortcut = downsample(prefix, planes, stride);
        inChannels = planes;
        return new ResidualBlock(body, shortcut, true);
    }

    private Block bottleneckBlock(String prefix, int planes, int stride) {
        // Wide ResNet-50-2: torchvision's width_per_group=128 doubles the inner 3x3 width.
        int width = planes * 2;
        int out = planes * 4;
        SequentialBlock body = new SequentialBlock()
                .add(conv(prefix + "conv1.weight", width, 1, 1, 0, 1))
                .add(torchBatchNorm(prefix + "bn1"))
                .add(Op.relu())
                .add(conv(prefix + "conv2.weight", width, 3, stride, 1, 1))
                .add(torchBatchNorm(prefix + "bn2"))
                .add(Op.relu())
                .add(conv(prefix + "conv3.weight", out, 1, 1, 0, 1))
                .add(torchBatchNorm(prefix + "bn3"));
        Block shortcut = downsample(prefix, out, stride);
        inChannels = out;
        return new ResidualBlock(body, shortcut, true);
    }

    /** torchvision's 1x1 convolution + batch norm shortcut, when the shape changes; else identity. */
    private Block downsample(String prefix, int outChannels, int stride) {
        if (stride == 1 && inChannels == outChannels) {
            return null;
        }
        return new SequentialBlock()
                .add(conv(prefix + "downsample.0.weight", outChannels, 1, stride, 0, 1))
                .add(torchBatchNorm(prefix + "downsample.1"));
    }

    private Block torchBatchNorm(String module) {
        return batchNorm(EPSILON, module + ".weight", module + ".bias", module + ".running_mean",
                module + ".running_var");
    }
}

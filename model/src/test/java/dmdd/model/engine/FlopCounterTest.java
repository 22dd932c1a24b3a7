package dmdd.model.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dmdd.model.dmdd.DmddNetworks;
import dmdd.model.dmdd.DmddSettings;
import dmdd.model.dmdd.NetworkFlops;
import dmdd.model.teacher.MobileNetV2;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Operation counts checked against counts worked out by hand. */
class FlopCounterTest {
    @Test
    void countsConvolutionsAndDenseLayersAsTwoOperationsPerMultiplyAdd() {
        DjlRuntime.engine();
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8).build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock())
                    .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).optStride(new Shape(2, 2)).setFilters(4).build())
                    // depthwise: one 3 x 3 kernel per channel
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).optGroups(4)
                            .setFilters(4).build())
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(10).build());
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 16, 16));
            long conv1 = 2L * 8 * 3 * 9 * 16 * 16;   // 8 filters over 3 channels, 3 x 3, at 16 x 16
            long conv2 = 2L * 4 * 8 * 8 * 8;          // 1 x 1, 8 to 4 channels, at 8 x 8
            long depthwise = 2L * 4 * 9 * 8 * 8;      // 4 channels, one 3 x 3 kernel each, at 8 x 8
            long dense = 2L * (4 * 8 * 8) * 10;       // 256 inputs to 10 outputs
            assertThat(FlopCounter.forward(net, new Shape(2, 3, 16, 16)))
                    .isEqualTo(2 * (conv1 + conv2 + depthwise + dense));
        }
    }

    @Test
    void aBlockWithParallelChildrenCountsEachOnItsInput() {
        DjlRuntime.engine();
        try (NDManager m = NDManager.newBaseManager()) {
            ParallelBlock both = new ParallelBlock(lists -> lists.get(0), List.of(
                    Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(5).optBias(false).build(),
                    Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(2).build()));
            both.initialize(m, DataType.FLOAT32, new Shape(1, 6, 10, 10));
            assertThat(FlopCounter.forward(both, new Shape(1, 6, 10, 10)))
                    .isEqualTo(2L * 5 * 6 * 100 + 2L * 2 * 6 * 9 * 100);
        }
    }

    @Test
    void theDmddNetworksCostFourTimesAsMuchAtTwiceTheSide() {
        DjlRuntime.engine();
        DmddSettings s = DmddSettings.defaults().with("imageSize", 64);
        try (NDManager m = NDManager.newBaseManager()) {
            MobileNetV2 teacher = new MobileNetV2(dmdd.model.teacher.BackboneKind.MOBILENET_V2, false);
            teacher.initializeParameters(m);
            DmddNetworks nets = DmddNetworks.create(s, teacher.levelChannels(), m);
            NetworkFlops at128 = NetworkFlops.of(nets, teacher, 128);
            NetworkFlops at256 = NetworkFlops.of(nets, teacher, 256);
            assertThat(at256.teacher()).isEqualTo(4 * at128.teacher());
            assertThat(at256.student()).isEqualTo(4 * at128.student());
            // all but the squeeze-excitation, which works on the pooled 1 x 1 descriptor whatever the size
            assertThat((double) at256.segmenter()).isCloseTo(4.0 * at128.segmenter(), org.assertj.core.data.Percentage.withPercentage(0.1));
            assertThat(at256.segmenter()).isLessThan(4 * at128.segmenter());
            // MobileNetV2 to block 10 (stride 16) at 224 px is about 0.2 GFLOPs of its 0.6 in all
            NetworkFlops at224 = NetworkFlops.of(nets, teacher, 224);
            assertThat(at224.teacher() / 1e9).isBetween(0.15, 0.35);
            assertThat(at128.inference()).isEqualTo(at128.teacher() + at128.student() + at128.segmenter());
        }
    }
}

package dmdd.model.dmdd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dmdd.model.engine.DjlRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The networks wire up: every output has the shape the losses and the inference expect. */
class NetworkShapesTest {

    @Test
    void theInvertedResidualStudentGivesEveryTeacherLevelFromAStride16Encoder() {
        DjlRuntime.engine();
        DmddSettings settings = DmddSettings.defaults().with("studentEncoder", "inverted_residual")
                .with("studentWidth", 8);
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyBackbone teacher = TinyBackbone.create(manager);
            DecoupledStudent student = DecoupledStudent.of(settings, teacher.levelChannels());
            student.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = teacher.normalize(manager.randomUniform(0f, 1f, new Shape(2, 3, 64, 64)));
            NDList t = teacher.forward(ps, new NDList(x), false);
            NDList s = student.forward(ps, new NDList(x), true);
            assertThat(s).hasSize(6);
            for (int i = 0; i < 6; i++) {
                assertThat(s.get(i).getShape()).isEqualTo(t.get(i % 3).getShape());
            }
            assertThat(student.getOutputShapes(new Shape[] {new Shape(2, 3, 64, 64)}))
                    .containsExactly(s.getShapes());
            // MobileNetV2's layout: depthwise convolutions, no stride-32 stage (the ResNet layout's deepest stage has
            // 8 x width channels)
            assertThat(student.getParameters().keys()).noneMatch(name -> name.startsWith("encoder4"));
            long depthwise = student.getParameters().values().stream()
                    .filter(p -> p.getName().equals("weight") && p.getArray().getShape().dimension() == 4
                            && p.getArray().getShape().get(1) == 1 && p.getArray().getShape().get(2) == 3)
                    .count();
            assertThat(depthwise).isEqualTo(2 + 3 + 7 + 1 + 3 * 2); // encoder stages, stem, decoder blocks
            // under 60 % of the ResNet layout's operations at the same width
            DecoupledStudent resnet = DecoupledStudent.of(settings.with("studentEncoder", "resnet"),
                    teacher.levelChannels());
            resnet.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            Shape image = new Shape(1, 3, 256, 256);
            assertThat(student.forwardFlops(image)).isLessThan(resnet.forwardFlops(image) * 6 / 10);
        }
    }

    @Test
    void aNarrowerExpansionKeepsTheLevelsAndWidensOnlyTheDepthwiseStage() {
        DjlRuntime.engine();
        DmddSettings six = DmddSettings.defaults().with("studentEncoder", "inverted_residual").with("studentWidth", 8);
        DmddSettings three = six.with("studentExpansion", 3);
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyBackbone teacher = TinyBackbone.create(manager);
            DecoupledStudent wide = DecoupledStudent.of(six, teacher.levelChannels());
            DecoupledStudent narrow = DecoupledStudent.of(three, teacher.levelChannels());
            wide.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            narrow.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            Shape[] input = {new Shape(2, 3, 64, 64)};
            assertThat(narrow.getOutputShapes(input)).containsExactly(wide.getOutputShapes(input));
            // every depthwise kernel has half the channels: the hidden width is input x expansion (the stem's block
            // does not widen)
            List<Long> wideDepthwise = depthwiseChannels(wide);
            List<Long> narrowDepthwise = depthwiseChannels(narrow);
            assertThat(narrowDepthwise).hasSameSizeAs(wideDepthwise);
            assertThat(narrowDepthwise.subList(1, narrowDepthwise.size()))
                    .isEqualTo(wideDepthwise.subList(1, wideDepthwise.size()).stream().map(c -> c / 2).toList());
            Shape image = new Shape(1, 3, 256, 256);
            // the widening and projecting 1x1 convolutions halve too; the stem and the heads stay
            assertThat(narrow.forwardFlops(image)).isLessThan(wide.forwardFlops(image) * 7 / 10);
        }
        assertThatThrownBy(() -> six.with("studentExpansion", 0))
                .hasMessageContaining("studentExpansion must be between 1 and 16: 0");
        assertThatThrownBy(() -> six.with("studentExpansion", 99999))
                .hasMessageContaining("studentExpansion must be between 1 and 16: 99999");
        // a model saved before the setting existed was built with MobileNetV2's 6
        assertThat(DmddSettings.fromSavedJson("{\"studentEncoder\": \"inverted_residual\"}").studentExpansion())
                .isEqualTo(6);
    }

    @Test
    void aConvolutionBodyKeepsTheSegmentersOutputAndDropsOneOfItsThreeByThreeConvolutions() {
        DjlRuntime.engine();
        DmddSettings residual = DmddSettings.defaults().with("segmenterWidth", 16);
        DmddSettings conv = residual.with("segmenterBody", "conv");
        try (NDManager manager = NDManager.newBaseManager()) {
            int[] c = TinyBackbone.create(manager).levelChannels();
            MultiPerceptionSegmenter a = initialised(residual, c, manager);
            MultiPerceptionSegmenter b = initialised(conv, c, manager);
            Shape[] in = a.initShapes();
            assertThat(b.getOutputShapes(in)).containsExactly(a.getOutputShapes(in));
            assertSameOutputShape(a, b, manager);
            // 3x3 kernels of width x width: the residual block's two and the dilated branch's one, against two
            assertThat(threeByThreeKernels(a, 16)).isEqualTo(3);
            assertThat(threeByThreeKernels(b, 16)).isEqualTo(2);
            long saved = a.forwardFlops(in) - b.forwardFlops(in);
            assertThat(saved).isEqualTo(2L * 16 * 16 * 9 * in[0].get(2) * in[0].get(3));
        }
        assertThatThrownBy(() -> residual.with("segmenterBody", "wide"))
                .hasMessageContaining("segmenterBody");
        // models saved before the setting existed have the residual body
        assertThat(DmddSettings.fromSavedJson("{}").segmenterBody()).isEqualTo("residual");
    }

    @Test
    void attentionOnTheReducedFeaturesKeepsTheOutputAndSqueezesTheReducedChannels() {
        DjlRuntime.engine();
        DmddSettings onReduced = DmddSettings.defaults().with("segmenterWidth", 16);
        DmddSettings onInput = onReduced.with("segmenterAttention", "input");
        try (NDManager manager = NDManager.newBaseManager()) {
            int[] c = TinyBackbone.create(manager).levelChannels();
            MultiPerceptionSegmenter a = initialised(onInput, c, manager);
            MultiPerceptionSegmenter b = initialised(onReduced, c, manager);
            Shape[] in = a.initShapes();
            assertSameOutputShape(a, b, manager);
            long total = java.util.Arrays.stream(MultiPerceptionSegmenter.inputChannels(onInput, c)).sum();
            // the squeeze-excitation's input: every concatenated channel, against the reduced width
            assertThat(squeezeInputChannels(a)).isEqualTo(total);
            assertThat(squeezeInputChannels(b)).isEqualTo(16);
            assertThat(b.forwardFlops(in)).isLessThan(a.forwardFlops(in));
        }
        assertThatThrownBy(() -> onInput.with("segmenterAttention", "both")).hasMessageContaining("segmenterAttention");
        // the default since 2026-12-07; models saved before the setting existed attend to the input, as DMDD.md
        // describes, and their weights have that shape
        assertThat(onReduced.segmenterAttention()).isEqualTo("reduced");
        assertThat(DmddSettings.fromSavedJson("{}").segmenterAttention()).isEqualTo("input");
    }

    @Test
    void reducingEachGroupAtItsOwnSizeIsReducingTheUpSampledConcatenation() {
        DjlRuntime.engine();
        DmddSettings settings = DmddSettings.defaults().with("segmenterWidth", 16);
        int[] c = {8, 12, 16};
        try (NDManager manager = NDManager.newBaseManager()) {
            MultiPerceptionSegmenter segmenter = initialised(settings, c, manager);
            // group weights other than their initial ones, so that a weight applied to the wrong group shows
            segmenter.groupWeights().getArray().set(new float[] {0.5f, -1.5f, 2f, 0.25f, 3f, -0.75f});
            NDList inputs = new NDList();
            for (int g = 0; g < 6; g++) {
                long side = 32 >> (g % 3); // strides 4, 8, 16 of a 128 px image
                inputs.add(manager.randomUniform(-1f, 1f, new Shape(2, c[g % 3], side, side)));
            }
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray weights = segmenter.groupWeights().getArray();
            for (boolean training : new boolean[] {false, true}) {
                NDArray concatenated = MultiPerceptionSegmenter.concatenated(inputs, weights, 32, 32);
                assertThat(concatenated.getShape()).isEqualTo(new Shape(2, 72, 32, 32));
                NDArray expected = segmenter.reduce().forward(ps, new NDList(concatenated), training)
                        .singletonOrThrow();
                NDArray actual = segmenter.reduceGroups(ps, inputs, weights, 32, 32, training);
                assertThat(actual.getShape()).isEqualTo(expected.getShape());
                float range = expected.abs().max().getFloat();
                assertThat(range).isGreaterThan(0.1f);
                assertThat(actual.sub(expected).abs().max().getFloat()).as("training " + training)
                        .isLessThan(1e-5f * range);
            }
            // inference with folded batch norms takes the folded convolution's slices and bias (batch-norm values
            // far from the identity, so that an unfolded or misfolded reduction shows)
            java.util.Random random = new java.util.Random(5);
            for (String name : List.of("gamma", "beta", "runningMean", "runningVar")) {
                NDArray a = segmenter.reduce().getChildren().get(1).getValue().getParameters().get(name).getArray();
                float[] values = new float[(int) a.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = name.equals("runningVar") ? 0.2f + 2f * random.nextFloat() : 2f * random.nextFloat() - 1f;
                }
                a.set(values);
            }
            NDArray concatenated = MultiPerceptionSegmenter.concatenated(inputs, weights, 32, 32);
            NDArray expected = segmenter.reduce().forward(ps, new NDList(concatenated), false).singletonOrThrow();
            try (FoldedBatchNorms folded = FoldedBatchNorms.of(manager, segmenter)) {
                assertThat(FoldedBatchNorms.firstConvolution(folded.parameterStore(manager), segmenter.reduce()))
                        .isNotNull();
                NDArray actual = segmenter.reduceGroups(folded.parameterStore(manager), inputs, weights, 32, 32, false);
                assertThat(actual.sub(expected).abs().max().getFloat()).as("folded")
                        .isLessThan(1e-5f * expected.abs().max().getFloat());
            }
        }
    }

    @Test
    void aStem4StudentGivesTheSameLevelsWithFewerOperationsAndEarlierModelsKeepStem2() {
        DjlRuntime.engine();
        DmddSettings two = DmddSettings.defaults().with("studentWidth", 8);
        DmddSettings four = two.with("studentStemStride", 4);
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyBackbone teacher = TinyBackbone.create(manager);
            Shape image = new Shape(2, 3, 64, 64);
            DecoupledStudent a = DecoupledStudent.of(four, teacher.levelChannels());
            DecoupledStudent b = DecoupledStudent.of(two, teacher.levelChannels());
            a.initialize(manager, DataType.FLOAT32, image);
            b.initialize(manager, DataType.FLOAT32, image);
            NDList out = a.forward(new ParameterStore(manager, false), new NDList(manager.randomUniform(0f, 1f,
                    image)), true);
            assertThat(out.getShapes()).containsExactly(b.getOutputShapes(new Shape[] {image}));
            // the same weights by name and shape: only where the size halves moved
            assertThat(a.getParameters().keys()).isEqualTo(b.getParameters().keys());
            Shape big = new Shape(1, 3, 256, 256);
            assertThat(a.forwardFlops(big)).isLessThan(b.forwardFlops(big));
        }
        assertThat(DmddSettings.defaults().studentStemStride()).isEqualTo(2);
        assertThat(DmddSettings.fromSavedJson("{}").studentStemStride()).isEqualTo(2);
        assertThatThrownBy(() -> four.with("studentStemStride", 3)).hasMessageContaining("studentStemStride");
    }

    private static MultiPerceptionSegmenter initialised(DmddSettings settings, int[] levelChannels, NDManager manager) {
        MultiPerceptionSegmenter segmenter = MultiPerceptionSegmenter.of(settings, levelChannels);
        segmenter.initialize(manager, DataType.FLOAT32, segmenter.initShapes());
        return segmenter;
    }

    /** {@code b} run on random inputs gives the output shape {@code a} declares. */
    private static void assertSameOutputShape(MultiPerceptionSegmenter a, MultiPerceptionSegmenter b,
            NDManager manager) {
        Shape[] in = a.initShapes();
        NDList inputs = new NDList();
        for (Shape s : in) {
            inputs.add(manager.randomUniform(-1f, 1f, s));
        }
        assertThat(b.forward(new ParameterStore(manager, false), inputs, false).singletonOrThrow().getShape())
                .isEqualTo(a.getOutputShapes(in)[0]);
    }

    private static long squeezeInputChannels(MultiPerceptionSegmenter segmenter) {
        return segmenter.getParameters().stream()
                .filter(e -> e.getKey().contains("seSqueeze") && e.getValue().getArray().getShape().dimension() == 4)
                .mapToLong(e -> e.getValue().getArray().getShape().get(1))
                .findFirst().orElseThrow();
    }

    private static long threeByThreeKernels(MultiPerceptionSegmenter segmenter, long width) {
        return segmenter.getParameters().values().stream()
                .filter(p -> p.getName().equals("weight") && p.getArray().getShape().equals(new Shape(width, width, 3, 3)))
                .count();
    }

    /** Channels of each depthwise 3x3 kernel, in the order the parameters are listed. */
    private static List<Long> depthwiseChannels(DecoupledStudent student) {
        return student.getParameters().values().stream()
                .filter(p -> p.getName().equals("weight") && p.getArray().getShape().dimension() == 4
                        && p.getArray().getShape().get(1) == 1 && p.getArray().getShape().get(2) == 3)
                .map(p -> p.getArray().getShape().get(0))
                .toList();
    }

    @Test
    void studentSegmenterAndLossesProduceTheDocumentedShapes() {
        DjlRuntime.engine();
        DmddSettings settings = DmddSettings.defaults().with("studentWidth", 8).with("segmenterWidth", 8);
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyBackbone teacher = TinyBackbone.create(manager);
            int[] c = teacher.levelChannels();
            DecoupledStudent student = DecoupledStudent.of(settings, c);
            student.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            MultiPerceptionSegmenter segmenter = MultiPerceptionSegmenter.of(settings, c);
            segmenter.initialize(manager, DataType.FLOAT32, segmenter.initShapes());
            ParameterStore ps = new ParameterStore(manager, false);

            NDArray x = manager.randomUniform(0f, 1f, new Shape(2, 3, 64, 64));
            NDList t = teacher.forward(ps, new NDList(teacher.normalize(x)), false);
            NDList s = student.forward(ps, new NDList(teacher.normalize(x)), true);
            assertThat(s).hasSize(6);
            for (int i = 0; i < 6; i++) {
                assertThat(s.get(i).getShape()).isEqualTo(t.get(i % 3).getShape());
            }
            assertThat(s.get(0).getShape()).isEqualTo(new Shape(2, 24, 16, 16));
            assertThat(s.get(5).getShape()).isEqualTo(new Shape(2, 96, 4, 4));

            NDList segIn = Discrepancy.segmenterInputs(Discrepancy.unitProducts(t.subList(0, 3), s), true);
            NDArray logits = segmenter.forward(ps, segIn, true).singletonOrThrow();
            assertThat(logits.getShape()).isEqualTo(new Shape(2, 1, 64, 64));

            NDArray mask = manager.zeros(new Shape(2, 1, 64, 64));
            mask.set(new ai.djl.ndarray.index.NDIndex(":, :, 10:30, 10:30"), 1f);
            DmddLoss loss = DmddLoss.of(settings);
            float ngm = loss.ngm(s.subList(0, 3), t.subList(0, 3)).getFloat();
            float aim = loss.aim(s.subList(3, 6), t.subList(0, 3), mask).getFloat();
            float seg = loss.segmentation(logits, mask).getFloat();
            assertThat(ngm).isBetween(0f, 6f);
            assertThat(aim).isBetween(0f, 6f);
            assertThat(seg).isPositive().isFinite();
            // cosine distance of a map with itself is zero, with its negation two
            NDArray d0 = Discrepancy.cosineDistance(t.get(0), t.get(0));
            NDArray d2 = Discrepancy.cosineDistance(t.get(0), t.get(0).neg());
            assertThat(d0.abs().max().getFloat()).isLessThan(1e-4f);
            assertThat(d2.sub(2f).abs().max().getFloat()).isLessThan(1e-4f);
            // the branch's level maps made from the shared products are the levels' cosine distances, to the bit
            NDList products = Discrepancy.unitProducts(t.subList(0, 3), s);
            NDList levels = Discrepancy.levelDistances(products.subList(3, 6));
            for (int l = 0; l < 3; l++) {
                assertThat(levels.get(l).toFloatArray()).as("level %d", l)
                        .containsExactly(Discrepancy.cosineDistance(s.get(3 + l), t.get(l)).toFloatArray());
            }

            // the alternative settings wire up too: discrepancy-map inputs, hinge AIM
            DmddSettings alt = settings.with("segmenterInput", "discrepancy").with("aimForm", "hinge");
            MultiPerceptionSegmenter altSegmenter = MultiPerceptionSegmenter.of(alt, c);
            altSegmenter.initialize(manager, DataType.FLOAT32, altSegmenter.initShapes());
            NDList altIn = Discrepancy.segmenterInputs(Discrepancy.unitProducts(t.subList(0, 3), s), false);
            assertThat(altIn.get(0).getShape()).isEqualTo(new Shape(2, 1, 16, 16));
            assertThat(altSegmenter.forward(ps, altIn, false).singletonOrThrow().getShape())
                    .isEqualTo(new Shape(2, 1, 64, 64));
            float hinge = DmddLoss.of(alt).aim(s.subList(3, 6), t.subList(0, 3), mask).getFloat();
            assertThat(hinge).isPositive().isFinite();

            DecoupledStudent baseline = DecoupledStudent.of(settings.with("method", "baseline"), c);
            baseline.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            assertThat(baseline.forward(ps, new NDList(x), false)).hasSize(3);
        }
    }

    @Test
    void settingsRoundTripThroughJsonAndRejectBadValues() {
        DmddSettings s = DmddSettings.defaults().with("imageSize", 128).with("method", "baseline");
        DmddSettings back = DmddSettings.fromJson(s.toJson());
        assertThat(back).isEqualTo(s);
        assertThat(DmddSettings.fromJson("{\"topK\": 7}").topK()).isEqualTo(7);
        assertThat(DmddSettings.fromJson("{\"topK\": 7}").imageSize()).isEqualTo(128);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DmddSettings.fromJson("{\"imageSize\": 100}"))
                .hasMessageContaining("imageSize");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DmddSettings.fromJson("{\"nonsense\": 1}"))
                .hasMessageContaining("nonsense");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.with("optimizer", "rmsprop"))
                .hasMessageContaining("optimizer");
    }
}

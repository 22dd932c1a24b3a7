package dmdd.model.dmdd;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dmdd.datasets.image.Preprocessing;
import dmdd.model.teacher.BackboneKind;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every setting of a DMDD (or baseline) model: network sizes, schedule, losses, synthesis,
 * inference and threshold rules. Each reconstruction choice of {@code shared/method/DMDD.md} is a
 * named field here so that it can be changed without touching code. Defaults follow DMDD.md,
 * scaled down for a 2-core CPU where noted. Serialised to JSON with Jackson ({@link #toJson()},
 * {@link #fromJson(String)}); a JSON file may name only some fields, the rest keep their defaults.
 *
 * @param method                 the method: {@code dmdd}, {@code aand}, {@code baseline} or {@code dcam}
 * @param backbone               teacher backbone name ({@link BackboneKind#cliName()})
 * @param imageSize              side of the square network input in pixels (a multiple of 32)
 * @param batchSize              normal images per training step
 * @param studentSteps           stage-1 steps (student with NGM + AIM; the baseline's only stage)
 * @param segmenterSteps         stage-2 steps (segmentation network, student frozen; 0 for baseline)
 * @param optimizer              {@code adam} (default: converges in the few hundred steps a CPU can
 *                               afford, where DeSTSeg's SGD needed thousands) or {@code sgd}
 *                               (momentum {@link #momentum}, DeSTSeg's choice)
 * @param studentLearningRate    learning rate of stage 1
 * @param segmenterLearningRate  learning rate of stage 2
 * @param weightAverageDecay     0 (default): the model keeps each stage's last weights; in (0, 1): it keeps their
 *                               exponential moving average over the stage's steps (Polyak averaging; every weight of
 *                               the stage's networks, batch-norm statistics included), with this decay per step, and
 *                               the segmentation stage trains on the student's averaged weights
 * @param momentum               SGD momentum (and Adam's beta1)
 * @param weightDecay            L2 weight decay added to the gradients
 * @param seed                   seed of weight init, batch sampling and anomaly synthesis
 * @param studentEncoder         the student's encoder: {@code inverted_residual} (MobileNetV2's layout to stride 16,
 *                               as the quality issue's PyTorch reference; {@code studentWidth} is its stem's width)
 *                               or {@code resnet} (DeSTSeg's ResNet-18 layout to stride 32, the only one before
 *                               2026-12-05, so models saved earlier read as it, {@link #fromSavedJson}); by default
 *                               the method's own ({@link #studentOf}): choosing a method without naming this setting
 *                               ({@link #with}, {@link #fromJson}) gives that method's student
 * @param studentWidth           the student's width, 32 by default for the CPU: the inverted residual encoder's
 *                               stem (MobileNetV2's 32; its stages scale with it), or the ResNet encoder's first
 *                               stage (ResNet-18 uses 64; the stages use 1x, 2x, 4x, 8x)
 * @param decoderBlocks          blocks per student decoder stage (inverted residual or residual, as the encoder; 2)
 * @param studentExpansion       how many times an inverted residual student block widens its input before the
 *                               depthwise convolution (1-16; MobileNetV2's 6, the default; the ResNet layout ignores
 *                               it)
 * @param studentStemStride      where the inverted residual student first reaches stride 4: {@code 2} as MobileNetV2
 *                               (the stem works at half the input size, the first stage halves it again after
 *                               widening by {@code studentExpansion}; the default) or {@code 4} (the stem's block
 *                               halves again, so the first stage widens at a quarter of the input size: a student
 *                               step about 13 % shorter, the second development benchmark a little worse); the
 *                               ResNet layout ignores it
 * @param studentSkips           whether the decoder receives U-Net skips from the encoder (off by
 *                               default: skips let a defect pass straight through and weaken the
 *                               normality branch's denoising)
 * @param segmenterWidth         channels of the segmentation network's body
 * @param segmenterBody          the segmentation network's body: {@code residual} (a residual block, two 3x3
 *                               convolutions; default) or {@code conv} (one 3x3 convolution, the quality issue's
 *                               PyTorch reference: a quarter fewer segmentation operations)
 * @param asppRates              dilation rates of the segmenter's dilated branches (DeSTSeg's ASPP: 6, 12, 18; default
 *                               one branch dilated by 2, the multi-perception of a narrow network at stride 4: as good or
 *                               better on both development benchmarks at a third fewer segmenter operations, README)
 * @param seReduction            squeeze-excitation reduction ratio of the channel attention
 * @param segmenterAttention     where the segmentation network's channel and spatial attention look: {@code reduced}
 *                               (default since 2026-12-07: the {@code segmenterWidth} channels after the 1x1 reduction,
 *                               a fifth of the channels; a segmentation step 15 % faster, the same or better on both
 *                               development benchmarks, README) or {@code input} (as DMDD.md reconstructs it: the
 *                               concatenated comparison features of every level and branch; models saved before the
 *                               setting existed read as it, {@link #fromSavedJson})
 * @param fusion                 how the fused map is formed: {@code segmenter} (the segmentation network's
 *                               output, DMDD as published) or {@code mean_with_branches} (default: its weighted
 *                               mean with the two branch maps, each scaled by its calibrated display range, their
 *                               mean clipped at 1; calibrated in two passes; chosen on the first development
 *                               benchmark, README)
 * @param fusionSegmenterWeight  weight of the segmentation network's output in the {@code mean_with_branches} fused
 *                               map (the scaled branch maps get the rest; 0.97 by default: the branch maps then
 *                               mostly order the pixels the segmentation network leaves near zero)
 * @param segmenterInput         {@code product}: per-channel -t_hat*s_hat of L2-normalised features
 *                               (DeSTSeg); {@code discrepancy}: one 1 - cos map per level and branch
 * @param aimForm                {@code l1}: mean |A - M|; {@code hinge}: M*max(0, 1-A) + (1-M)*A
 * @param focalGamma             focal loss gamma of the segmentation loss
 * @param l1Weight               weight of the L1 term next to the focal term
 * @param cleanPairFraction      share of training pairs left without a synthetic anomaly (M = 0) in stage 1 (and in
 *                               AAND's amplifier stage)
 * @param segmenterCleanPairFraction share of the segmentation stage's training pairs left clean (the quality issue's
 *                               PyTorch reference leaves 30 % there); 0.5 by default, as stage 1
 * @param textureFolder          folder of texture images or GIMP {@code .pat} files for the anomaly
 *                               synthesis; {@code null} = the procedural texture source
 * @param scarShare              share of the anomalous training pairs whose defect region is a thin curved
 *                               scar (1-3 px) instead of a Perlin blob (0.3: it helped both development
 *                               benchmarks, README)
 * @param spotShare              share of the anomalous training pairs whose defect region is one to four
 *                               small spots
 * @param patchShare             share of the anomalous training pairs whose defect is a patch of the image itself
 *                               pasted elsewhere with soft edges (CutPaste / NSA, {@code PastedPatches}); 0 by
 *                               default (README: measured); scars, spots and patches together at most 1, the rest
 *                               Perlin blobs
 * @param orientationAugmentation which training steps see each normal image (or tile) in one of its eight
 *                               orientations (quarter turns, mirrored or not), drawn at random: {@code none},
 *                               {@code all} stages, or the {@code segmenter} stage only (the student learns the
 *                               images as they come); for parts without an up or a left, never for parts with a
 *                               fixed pose
 * @param topK                   image score = mean of the top-k fused-map pixels
 * @param imageScore             {@code topk_mean} or {@code max}
 * @param inspectionViews        how many orientations each inspected image is run in, their maps turned back and
 *                               averaged: 1 (as it is), 2 (and mirrored left-right), 4 (and mirrored up-down, and
 *                               turned by half a turn) or 8 (all eight, quarter turns too); the inspection takes
 *                               that many network passes. For surfaces and parts that look normal in every such
 *                               orientation; 1 for parts whose mirror image is not a normal part (print, threads)
 * @param inspectionShifts       how many positions each view is run in, its maps moved back and averaged: 1 (as it
 *                               is), 2 (and moved diagonally by half a cell of the finest feature level, 2 input
 *                               pixels) or 4 (and by half a cell across and down): a line thinner than a cell falls
 *                               differently on the networks' grid in each. The inspection takes views times shifts
 *                               network passes
 * @param gaussianSigma          Gaussian sigma (network-input pixels) on the branch maps
 * @param validationFraction     share of the normal training images held out to fit thresholds
 * @param imageThresholdQuantile quantile of the held-out normal image scores used as the OK-below image
 *                               threshold (OK at or below it)
 * @param imageNgThresholdQuantile probability for the NG-above image threshold (NG above it; unsure between
 *                               the two): this quantile of the held-out normal image scores, or with fewer than
 *                               1 / (1 - q) of them the larger of it and their prediction bound at it (Student's t);
 *                               at least {@code imageThresholdQuantile}
 * @param pixelThresholdQuantile quantile of the held-out normal fused pixels used as pixel threshold
 * @param displayQuantile        quantile of held-out normal pixels that, times {@link #displayHeadroom},
 *                               becomes the top of each map's colour scale
 * @param displayHeadroom        factor above the normal quantile where the colour scale tops out
 * @param checkpointInterval     steps between checkpoints (a checkpoint is also written at the end)
 * @param threads                intra-op CPU threads; 0 = automatic (the processors other programs leave
 *                               free, see {@code engine.IntraOpThreads#auto()})
 * @param studentNormsFrozenFrom share of the student stage after which the student's batch norms keep their
 *                               running statistics (frozen, as in inference) and run folded into their convolutions
 *                               (one pass over each activation instead of three, forward and back; their scale and
 *                               shift still learn): 1 = never, DMDD.md's reconstruction; the default 0.25 trains
 *                               the first quarter with batch statistics, which then stop moving (a training that
 *                               continues such a model freezes them from its first student step)
 * @param cacheTeacherFeatures   compute what the frozen networks make of each normal training image once
 *                               and reuse it every step: the teacher's features in stage 1 (the teacher then
 *                               runs only on the augmented images with an anomaly), the segmentation network's
 *                               inputs in stage 2 (the teacher and the frozen student then run only on the pairs
 *                               with an anomaly); up to 2 GB each, above that they are recomputed
 * @param inspectionScale        0: the whole image is resized to the network input; above 0: camera-resolution
 *                               tiling, original pixels per network pixel (1 = native resolution): training
 *                               draws {@code imageSize} tiles at that scale, inspection slides overlapping
 *                               tiles over the whole image and stitches the maps
 * @param tileOverlap            share of a tile that overlaps its neighbour when tiling, in [0, 0.9)
 * @param inspectionZoom         whole-image models: how much larger than {@code imageSize} the whole image is
 *                               inspected, in [1, 4] ({@link #zoomedSide()}: the product rounded to 32 px), in
 *                               {@code imageSize} tiles; training cuts random {@code imageSize} crops from the
 *                               normal images resized to that side, so a thin defect keeps its width at the cost
 *                               of {@code imageSize} training steps (1 by default; 1.5 finds thin defects on busy
 *                               textures better and wide low-contrast damage worse, README); camera-resolution
 *                               tiling has its own scale and does not use it
 * @param amplifierSteps         AAND's stage-1 steps (the residual anomaly amplifier on synthetic anomalies); its
 *                               stage 2 is {@code studentSteps} of reverse distillation
 * @param amplificationMargin    AAND: the 1 - cosine distance the amplified features of a synthetic anomaly must
 *                               reach from the teacher's features of the clean image (hinge margin)
 * @param matchingPrototypes     AAND: normal teacher features per level kept as prototypes; the residual gate opens
 *                               where a position matches none of them
 * @param bottleneckWidth        AAND: channels of the reverse-distillation student's compact bottleneck
 * @param hardFraction           AAND: share of the hardest (largest-discrepancy) positions per level that the hard
 *                               knowledge distillation loss weights again
 * @param hardWeight             AAND: weight of that hard-position term beside the mean over all positions
 * @param spatialKlWeight        DCAM: weight of the KL divergence between teacher and student spatial distributions
 * @param channelCosineWeight    DCAM: weight of the channel-wise cosine loss (each channel's spatial map as a vector)
 * @param distillationTemperature DCAM: softmax temperature of the spatial distributions
 * @param improveSteps           steps of one "Improve model" run (continued training from the current model
 *                               on the normal images, people's OK decisions included), split between the two
 *                               stages like {@link #withTotalSteps}; bounded so that it stays short
 */
public record DmddSettings(
        Method method,
        String backbone,
        int imageSize,
        int batchSize,
        int studentSteps,
        int segmenterSteps,
        String optimizer,
        double studentLearningRate,
        double segmenterLearningRate,
        double weightAverageDecay,
        double momentum,
        double weightDecay,
        long seed,
        String studentEncoder,
        int studentWidth,
        int decoderBlocks,
        int studentExpansion,
        int studentStemStride,
        boolean studentSkips,
        int segmenterWidth,
        String segmenterBody,
        List<Integer> asppRates,
        int seReduction,
        String segmenterAttention,
        String fusion,
        double fusionSegmenterWeight,
        String segmenterInput,
        String aimForm,
        double focalGamma,
        double l1Weight,
        double cleanPairFraction,
        double segmenterCleanPairFraction,
        String textureFolder,
        double scarShare,
        double spotShare,
        double patchShare,
        String orientationAugmentation,
        int topK,
        String imageScore,
        int inspectionViews,
        int inspectionShifts,
        double gaussianSigma,
        double validationFraction,
        double imageThresholdQuantile,
        double imageNgThresholdQuantile,
        double pixelThresholdQuantile,
        double displayQuantile,
        double displayHeadroom,
        int checkpointInterval,
        int threads,
        double studentNormsFrozenFrom,
        boolean cacheTeacherFeatures,
        double inspectionScale,
        double tileOverlap,
        double inspectionZoom,
        int amplifierSteps,
        double amplificationMargin,
        int matchingPrototypes,
        int bottleneckWidth,
        double hardFraction,
        double hardWeight,
        double spatialKlWeight,
        double channelCosineWeight,
        double distillationTemperature,
        int improveSteps) {

    /** The most steps one improvement may take: it continues a model, it does not train a new one. */
    public static final int MAX_IMPROVE_STEPS = 5000;
    /**
     * The largest network input side: 4096 px is already sixteen times the teacher's usual input per side (camera
     * pictures go through tiles, {@code inspectionScale}), and far larger sides only exhaust memory.
     */
    public static final int MAX_IMAGE_SIZE = 4096;

    /**
     * Exact types: 2.5 is no batch size, "8" is no number and null is no view count (no silent truncation, coercion
     * or zero).
     */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            // a setting named twice in a file is a mistake to name, not a choice of the last one
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    /** Validates every field, with a message naming the field and the allowed values. */
    public DmddSettings {
        if (method == null) {
            throw new IllegalArgumentException("method must be one of " + Method.choices());
        }
        finite("studentLearningRate", studentLearningRate);
        finite("segmenterLearningRate", segmenterLearningRate);
        finite("weightAverageDecay", weightAverageDecay);
        finite("momentum", momentum);
        finite("weightDecay", weightDecay);
        finite("fusionSegmenterWeight", fusionSegmenterWeight);
        finite("focalGamma", focalGamma);
        finite("l1Weight", l1Weight);
        finite("cleanPairFraction", cleanPairFraction);
        finite("segmenterCleanPairFraction", segmenterCleanPairFraction);
        finite("studentNormsFrozenFrom", studentNormsFrozenFrom);
        finite("scarShare", scarShare);
        finite("spotShare", spotShare);
        finite("patchShare", patchShare);
        finite("gaussianSigma", gaussianSigma);
        finite("displayHeadroom", displayHeadroom);
        finite("inspectionScale", inspectionScale);
        finite("inspectionZoom", inspectionZoom);
        finite("amplificationMargin", amplificationMargin);
        finite("hardFraction", hardFraction);
        finite("hardWeight", hardWeight);
        finite("spatialKlWeight", spatialKlWeight);
        finite("channelCosineWeight", channelCosineWeight);
        finite("distillationTemperature", distillationTemperature);
        BackboneKind.fromCliName(backbone); // throws naming the choices
        backbone = BackboneKind.fromCliName(backbone).cliName();
        require(imageSize >= 32 && imageSize % 32 == 0 && imageSize <= MAX_IMAGE_SIZE,
                "imageSize must be a multiple of 32 from 32 to " + MAX_IMAGE_SIZE + ": " + imageSize);
        require(batchSize >= 1, "batchSize must be at least 1: " + batchSize);
        require(studentSteps >= 0, "studentSteps must not be negative: " + studentSteps);
        require(segmenterSteps >= 0, "segmenterSteps must not be negative: " + segmenterSteps);
        optimizer = oneOf("optimizer", optimizer, "adam", "sgd");
        require(studentLearningRate > 0 && segmenterLearningRate > 0, "learning rates must be positive");
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1): " + momentum);
        require(weightAverageDecay >= 0 && weightAverageDecay < 1,
                "weightAverageDecay must be in [0, 1) (0: no averaging): " + weightAverageDecay);
        require(weightDecay >= 0, "weightDecay must not be negative: " + weightDecay);
        studentEncoder = oneOf("studentEncoder", studentEncoder, "resnet", "inverted_residual");
        require(studentWidth >= 4, "studentWidth must be at least 4: " + studentWidth);
        require(decoderBlocks >= 1, "decoderBlocks must be at least 1: " + decoderBlocks);
        // MobileNetV2 widens by 6; far wider blocks only exhaust memory before the first step
        require(studentExpansion >= 1 && studentExpansion <= 16, "studentExpansion must be between 1 and 16: "
                + studentExpansion);
        require(studentStemStride == 2 || studentStemStride == 4, "studentStemStride must be 2 or 4: "
                + studentStemStride);
        require(segmenterWidth >= 4, "segmenterWidth must be at least 4: " + segmenterWidth);
        segmenterBody = oneOf("segmenterBody", segmenterBody, "residual", "conv");
        require(asppRates == null || !asppRates.contains(null), "asppRates must be whole numbers: " + asppRates);
        asppRates = asppRates == null ? List.of() : List.copyOf(asppRates);
        for (int r : asppRates) {
            require(r >= 1, "asppRates must be positive: " + asppRates);
        }
        require(seReduction >= 1, "seReduction must be at least 1: " + seReduction);
        segmenterAttention = oneOf("segmenterAttention", segmenterAttention, "input", "reduced");
        fusion = oneOf("fusion", fusion, "segmenter", "mean_with_branches");
        require(fusionSegmenterWeight >= 0 && fusionSegmenterWeight <= 1,
                "fusionSegmenterWeight must be in [0, 1]: " + fusionSegmenterWeight);
        segmenterInput = oneOf("segmenterInput", segmenterInput, "product", "discrepancy");
        aimForm = oneOf("aimForm", aimForm, "l1", "hinge");
        require(focalGamma >= 0, "focalGamma must not be negative: " + focalGamma);
        require(l1Weight >= 0, "l1Weight must not be negative: " + l1Weight);
        require(cleanPairFraction >= 0 && cleanPairFraction < 1, "cleanPairFraction must be in [0, 1): " + cleanPairFraction);
        require(segmenterCleanPairFraction >= 0 && segmenterCleanPairFraction < 1,
                "segmenterCleanPairFraction must be in [0, 1): " + segmenterCleanPairFraction);
        require(scarShare >= 0 && spotShare >= 0 && patchShare >= 0 && scarShare + spotShare + patchShare <= 1,
                "scarShare, spotShare and patchShare must not be negative and must sum to at most 1: " + scarShare
                        + ", " + spotShare + ", " + patchShare);
        require(studentNormsFrozenFrom > 0 && studentNormsFrozenFrom <= 1, "studentNormsFrozenFrom must be in (0, 1] "
                + "(0 would freeze statistics no step has computed): " + studentNormsFrozenFrom);
        require(topK >= 1, "topK must be at least 1: " + topK);
        imageScore = oneOf("imageScore", imageScore, "topk_mean", "max");
        require(inspectionViews == 1 || inspectionViews == 2 || inspectionViews == 4 || inspectionViews == 8,
                "inspectionViews must be 1, 2, 4 or 8: " + inspectionViews);
        require(inspectionShifts == 1 || inspectionShifts == 2 || inspectionShifts == 4,
                "inspectionShifts must be 1, 2 or 4: " + inspectionShifts);
        orientationAugmentation = oneOf("orientationAugmentation", orientationAugmentation, "none", "all", "segmenter");
        require(gaussianSigma >= 0 && gaussianSigma <= imageSize, "gaussianSigma must be from 0 to the image size ("
                + imageSize + " px): " + gaussianSigma);
        require(validationFraction >= 0 && validationFraction < 1, "validationFraction must be in [0, 1): " + validationFraction);
        require(inUnit(imageThresholdQuantile) && inUnit(imageNgThresholdQuantile) && inUnit(pixelThresholdQuantile)
                && inUnit(displayQuantile), "threshold and display quantiles must be in [0, 1]");
        require(imageNgThresholdQuantile >= imageThresholdQuantile, "imageNgThresholdQuantile ("
                + imageNgThresholdQuantile + ") must not be below imageThresholdQuantile (" + imageThresholdQuantile + ")");
        require(displayHeadroom >= 1, "displayHeadroom must be at least 1: " + displayHeadroom);
        require(checkpointInterval >= 1, "checkpointInterval must be at least 1: " + checkpointInterval);
        require(threads >= 0, "threads must not be negative: " + threads);
        require(inspectionScale >= 0 && inspectionScale <= 64,
                "inspectionScale must be 0 (whole image) or a scale in (0, 64]: " + inspectionScale);
        require(tileOverlap >= 0 && tileOverlap < 0.9, "tileOverlap must be in [0, 0.9): " + tileOverlap);
        require(inspectionZoom >= 1 && inspectionZoom <= 4, "inspectionZoom must be in [1, 4]: " + inspectionZoom);
        require(amplifierSteps >= 0, "amplifierSteps must not be negative: " + amplifierSteps);
        require(amplificationMargin > 0 && amplificationMargin <= 2, "amplificationMargin must be in (0, 2]: "
                + amplificationMargin);
        require(matchingPrototypes >= 1 && matchingPrototypes <= 4096,
                "matchingPrototypes must be in [1, 4096]: " + matchingPrototypes);
        require(bottleneckWidth >= 4 && bottleneckWidth <= 2048,
                "bottleneckWidth must be in [4, 2048]: " + bottleneckWidth);
        require(hardFraction > 0 && hardFraction <= 1, "hardFraction must be in (0, 1]: " + hardFraction);
        require(hardWeight >= 0 && hardWeight <= 1000, "hardWeight must be in [0, 1000]: " + hardWeight);
        require(spatialKlWeight >= 0 && spatialKlWeight <= 1000, "spatialKlWeight must be in [0, 1000]: "
                + spatialKlWeight);
        require(channelCosineWeight >= 0 && channelCosineWeight <= 1000, "channelCosineWeight must be in [0, 1000]: "
                + channelCosineWeight);
        require(distillationTemperature > 0 && distillationTemperature <= 1000,
                "distillationTemperature must be in (0, 1000]: " + distillationTemperature);
        require(improveSteps >= 1 && improveSteps <= MAX_IMPROVE_STEPS,
                "improveSteps must be in [1, " + MAX_IMPROVE_STEPS + "]: " + improveSteps);
    }

    /**
     * The defaults: DMDD.md's design, sized for a 2-core CPU (128 px, batch 8, an inverted residual student of
     * width 32, 360 student + 720 segmentation steps, one dilated segmenter branch, Adam): what both development
     * benchmarks measured, about 4-5 minutes of training per category on a 2-core CPU (README).
     *
     * @return default settings
     */
    public static DmddSettings defaults() {
        return DEFAULTS;
    }

    /** The defaults, by name (the order of the record's components never matters here). */
    private static final DmddSettings DEFAULTS = JSON.convertValue(defaultValues(), DmddSettings.class);

    private static Map<String, Object> defaultValues() {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("method", Method.DMDD);
        d.put("backbone", BackboneKind.MOBILENET_V2.cliName());
        d.put("imageSize", 128);
        d.put("batchSize", 8);
        d.put("studentSteps", 360);
        d.put("segmenterSteps", 720);
        d.put("optimizer", "adam");
        d.put("studentLearningRate", 1e-3);
        d.put("segmenterLearningRate", 1e-3);
        d.put("weightAverageDecay", 0.0);
        d.put("momentum", 0.9);
        d.put("weightDecay", 0.0);
        d.put("seed", 42L);
        d.put("studentEncoder", "inverted_residual");
        d.put("studentWidth", 32);
        d.put("decoderBlocks", 2);
        d.put("studentExpansion", 6);
        d.put("studentStemStride", 2);
        d.put("studentSkips", false);
        d.put("segmenterWidth", 64);
        d.put("segmenterBody", "residual");
        d.put("asppRates", List.of(2));
        d.put("seReduction", 8);
        d.put("segmenterAttention", "reduced");
        d.put("fusion", "mean_with_branches");
        d.put("fusionSegmenterWeight", 0.97);
        d.put("segmenterInput", "product");
        d.put("aimForm", "l1");
        d.put("focalGamma", 4.0);
        d.put("l1Weight", 1.0);
        d.put("cleanPairFraction", 0.5);
        d.put("segmenterCleanPairFraction", 0.5);
        d.put("textureFolder", null);
        d.put("scarShare", 0.3);
        d.put("spotShare", 0.1);
        d.put("patchShare", 0.0);
        d.put("orientationAugmentation", "none");
        d.put("topK", 100);
        d.put("imageScore", "topk_mean");
        d.put("inspectionViews", 4);
        d.put("inspectionShifts", 2);
        d.put("gaussianSigma", 4.0);
        d.put("validationFraction", 0.1);
        d.put("imageThresholdQuantile", 0.99);
        d.put("imageNgThresholdQuantile", 0.999);
        d.put("pixelThresholdQuantile", 0.999);
        d.put("displayQuantile", 0.999);
        d.put("displayHeadroom", 1.5);
        d.put("checkpointInterval", 100);
        d.put("threads", 0);
        d.put("studentNormsFrozenFrom", 0.25);
        d.put("cacheTeacherFeatures", true);
        d.put("inspectionScale", 0.0);
        d.put("tileOverlap", 0.5);
        d.put("inspectionZoom", 1.0);
        d.put("amplifierSteps", 120);
        d.put("amplificationMargin", 0.5);
        d.put("matchingPrototypes", 64);
        d.put("bottleneckWidth", 128);
        d.put("hardFraction", 0.1);
        d.put("hardWeight", 1.0);
        d.put("spatialKlWeight", 1.0);
        d.put("channelCosineWeight", 1.0);
        d.put("distillationTemperature", 1.0);
        d.put("improveSteps", 200);
        return d;
    }

    /** @return the teacher backbone kind */
    @JsonIgnore
    public BackboneKind backboneKind() {
        return BackboneKind.fromCliName(backbone);
    }

    /** @return whether the student is decoupled and a segmenter is trained (DMDD), not the baseline */
    @JsonIgnore
    public boolean isDmdd() {
        return method == Method.DMDD;
    }

    /** @return whether inspection tiles the image at {@code inspectionScale} (camera resolution) */
    @JsonIgnore
    public boolean isTiled() {
        return inspectionScale > 0;
    }

    /**
     * The side of the square a whole image is resized to before inspection: {@code imageSize} times
     * {@code inspectionZoom}, rounded to a multiple of 32; with a zoom above 1, tiles of {@code imageSize} slide over
     * it (the networks only ever see inputs of the size they were trained on). Tiled models (an
     * {@code inspectionScale}) have their own scale.
     *
     * @return the side in pixels, at least {@code imageSize}
     */
    @JsonIgnore
    public int zoomedSide() {
        return Math.max(imageSize, 32 * (int) Math.round(imageSize * inspectionZoom / 32));
    }

    /**
     * @return whether training cuts random {@code imageSize} crops (tiles at the inspection scale, or crops of the
     *         zoomed whole image) instead of using each normal image's whole input
     */
    @JsonIgnore
    public boolean trainsOnCrops() {
        return isTiled() || isZoomed();
    }

    /**
     * @return whether training computes what the frozen networks make of each normal image once and reuses it: the
     *         teacher's features in stage 1, the segmentation network's inputs of clean pairs in stage 2 (asked for
     *         with {@link #cacheTeacherFeatures}, and only when the training images are fixed, not crops)
     */
    @JsonIgnore
    public boolean cachesNormalFeatures() {
        return cacheTeacherFeatures && !trainsOnCrops();
    }

    /** @return network passes per inspected input (a whole image, or one tile): each view in each shift */
    @JsonIgnore
    public int passesPerInput() {
        return inspectionViews * inspectionShifts;
    }

    /** @return whether a whole-image model is inspected zoomed (its zoomed side above {@code imageSize}), in tiles */
    @JsonIgnore
    public boolean isZoomed() {
        return !isTiled() && zoomedSide() > imageSize;
    }

    /** @return the one preprocessing of these settings' inputs, for training and inspection alike */
    @JsonIgnore
    public Preprocessing preprocessing() {
        return isTiled() ? new Preprocessing(imageSize, inspectionScale) : Preprocessing.zoomed(imageSize, zoomedSide());
    }

    /**
     * The training stages of this method in the order they run: DMDD trains the student, then the segmenter; AAND
     * the amplifier, then the reverse-distillation student; the baseline and DCAM only a student.
     *
     * @return the stages
     */
    @JsonIgnore
    public List<TrainingStage> stages() {
        return switch (method) {
            case DMDD -> List.of(TrainingStage.STUDENT, TrainingStage.SEGMENTER);
            case AAND -> List.of(TrainingStage.AMPLIFIER, TrainingStage.STUDENT);
            case BASELINE, DCAM -> List.of(TrainingStage.STUDENT);
        };
    }

    /**
     * @param stage a stage
     * @return the steps these settings give it (0 for a stage the method does not have)
     */
    public int stepsOf(TrainingStage stage) {
        if (!stages().contains(stage)) {
            return 0;
        }
        return switch (stage) {
            case STUDENT -> studentSteps;
            case SEGMENTER -> segmenterSteps;
            case AMPLIFIER -> amplifierSteps;
        };
    }

    /**
     * @param step a step index counted over all stages, from 0
     * @return the stage that step belongs to (the last stage for steps beyond the end)
     */
    public TrainingStage stageAt(int step) {
        int end = 0;
        for (TrainingStage stage : stages()) {
            end += stepsOf(stage);
            if (step < end) {
                return stage;
            }
        }
        return stages().get(stages().size() - 1);
    }

    /**
     * @param step a training step (0-based)
     * @return whether that step trains the student with its batch norms' statistics frozen
     *         ({@link #studentNormsFrozenFrom})
     */
    public boolean studentNormsFrozenAt(int step) {
        if (studentNormsFrozenFrom >= 1 || stageAt(step) != TrainingStage.STUDENT) {
            return false;
        }
        // the share's product is rounded up, less a float's error: 0.07 of 100 steps is 7, not 7.000000000000001
        return step - stageStart(TrainingStage.STUDENT) >= Math.ceil(studentNormsFrozenFrom * studentSteps - 1e-9);
    }

    /**
     * @param stage one of this method's stages
     * @return the steps of all stages before it
     */
    public int stageStart(TrainingStage stage) {
        int start = 0;
        for (TrainingStage s : stages()) {
            if (s == stage) {
                return start;
            }
            start += stepsOf(s);
        }
        throw new IllegalArgumentException(method.cliName() + " has no " + stage.displayName() + " stage");
    }

    /** @return steps actually trained: the sum over the method's stages */
    @JsonIgnore
    public int totalSteps() {
        int total = 0;
        for (TrainingStage stage : stages()) {
            total += stepsOf(stage);
        }
        return total;
    }

    /**
     * The one rule for splitting a total step budget between the stages (the command line's
     * {@code --steps} and the workstation's steps field): a two-stage method keeps these settings' proportion of
     * its first to its second stage, with at least one step in each when the total allows (a stage these settings
     * give 0 steps stays at 0); a one-stage method trains all steps in its only stage.
     *
     * @param total steps in all, at least 1
     * @return new settings with the stages' step fields set
     */
    public DmddSettings withTotalSteps(int total) {
        require(total >= 1, "steps must be at least 1, got " + total);
        List<TrainingStage> stages = stages();
        if (stages.size() == 1) {
            return with(stages.get(0).stepsSetting(), total);
        }
        int a = stepsOf(stages.get(0));
        int b = stepsOf(stages.get(1));
        int sum = a + b;
        int first = sum == 0 ? total / 2 : (int) Math.round((double) total * a / sum);
        if (a == 0 && b > 0) {
            first = 0; // a stage someone switched off stays off
        } else if (b == 0 && a > 0) {
            first = total;
        } else {
            first = total == 1 ? 1 : Math.max(1, Math.min(total - 1, first));
        }
        return with(Map.of(stages.get(0).stepsSetting(), first, stages.get(1).stepsSetting(), total - first));
    }

    /**
     * These settings with the stages' step fields of {@code schedule}: what an improved model records, so that its
     * settings keep the split it was trained with (an improvement of 1 step is all in the first stage, and recorded
     * as such it would switch the second stage off for every later improvement).
     *
     * @param schedule settings of the same method whose step fields to take
     * @return new settings
     */
    public DmddSettings withStepsOf(DmddSettings schedule) {
        Map<String, Object> steps = new java.util.HashMap<>();
        for (TrainingStage stage : stages()) {
            steps.put(stage.stepsSetting(), schedule.stepsOf(stage));
        }
        return with(steps);
    }

    /**
     * @param other other settings
     * @return the names of the settings whose values differ, in declaration order (empty when equal)
     */
    public List<String> differencesFrom(DmddSettings other) {
        ObjectNode a = JSON.valueToTree(this);
        ObjectNode b = JSON.valueToTree(other);
        List<String> out = new java.util.ArrayList<>();
        a.fieldNames().forEachRemaining(name -> {
            if (!a.get(name).equals(b.get(name))) {
                out.add(name);
            }
        });
        return out;
    }

    /**
     * @param name a setting's name
     * @return its value as compact JSON text (for messages)
     */
    public String toJsonValue(String name) {
        com.fasterxml.jackson.databind.JsonNode v = JSON.valueToTree(this).get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown setting '" + name + "'");
        }
        return v.toString();
    }

    /** @return these settings as indented JSON */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("settings cannot be written as JSON", e);
        }
    }

    /**
     * Reads settings from JSON; fields that are absent keep their {@link #defaults()}.
     *
     * @param json a JSON object
     * @return the settings
     * @throws IllegalArgumentException naming the bad field when the JSON is malformed or invalid
     */
    public static DmddSettings fromJson(String json) {
        try {
            ObjectNode merged = JSON.valueToTree(defaults());
            JsonNode given = JSON.readTree(json);
            if (given == null || !given.isObject()) {
                throw new IllegalArgumentException("settings must be a JSON object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!merged.has(e.getKey())) {
                    throw new IllegalArgumentException("unknown setting '" + e.getKey() + "'");
                }
                merged.set(e.getKey(), e.getValue());
            }
            if (given.has("method") && !given.has("studentEncoder")) {
                merged.set("studentEncoder", JSON.valueToTree(studentOf(JSON.treeToValue(given.get("method"),
                        Method.class))));
            }
            return JSON.treeToValue(merged, DmddSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad settings JSON: " + explain(e), e);
        }
    }

    /**
     * The student encoder a method trains with unless {@code studentEncoder} is given: the inverted residual layout
     * for DMDD and the baseline (it helped DMDD on both development benchmarks with two seeds, and the baseline is
     * DMDD's student without its decoupling), the ResNet layout for DCAM (its distributed attention lost image AUROC
     * and AUPRO with the inverted residual student, README). AAND has its own reverse-distillation student.
     *
     * @param method a method
     * @return its default {@code studentEncoder}
     */
    public static String studentOf(Method method) {
        return method == Method.DCAM ? "resnet" : "inverted_residual";
    }

    /**
     * Reads the settings a model or checkpoint was saved with. Every save names every setting of its time, so a
     * setting it does not name was added later, and its networks were built and its thresholds fitted the way they
     * were before that setting existed ({@link #SAVED_BEFORE}), whatever today's default is; other absent fields
     * keep their defaults.
     *
     * @param json the saved settings, a JSON object
     * @return the settings its networks were built with
     * @throws IllegalArgumentException naming the bad field when the JSON is malformed or invalid
     */
    public static DmddSettings fromSavedJson(String json) {
        JsonNode given;
        try {
            given = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad settings JSON: " + explain(e), e);
        }
        if (given instanceof ObjectNode saved) {
            SAVED_BEFORE.forEach((name, value) -> {
                if (!saved.has(name)) {
                    saved.set(name, JSON.valueToTree(value));
                }
            });
        }
        return fromJson(given == null ? "null" : given.toString());
    }

    /**
     * Settings whose default changed, with the value that models saved before the setting existed were built and
     * calibrated with ({@code studentEncoder}: the ResNet layout was the only one until 2026-12-05;
     * {@code inspectionViews}: one view until the session after, and their thresholds were fitted on one view's
     * scores; {@code inspectionShifts}: none before 2026-12-06, the same reason; {@code segmenterAttention}: on the
     * input until 2026-12-07, and its weights have that shape; {@code studentStemStride}: MobileNetV2's 2 before the
     * setting existed, which the weights cannot tell, their shapes being the same for both;
     * {@code studentNormsFrozenFrom}: batch statistics to the end of the student stage before 2026-12-07, which
     * matters when such a model's checkpoint resumes or the model is improved).
     */
    private static final Map<String, Object> SAVED_BEFORE = Map.of("studentEncoder", "resnet", "inspectionViews", 1,
            "inspectionShifts", 1, "segmenterAttention", "input", "studentStemStride", 2, "studentNormsFrozenFrom", 1.0);

    /**
     * @param other settings to take values from
     * @param names the settings to take
     * @return these settings with those of {@code other} named
     */
    public DmddSettings withValuesOf(DmddSettings other, java.util.Collection<String> names) {
        ObjectNode from = JSON.valueToTree(other);
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        for (String name : names) {
            values.put(name, from.get(name));
        }
        return with(values);
    }

    /**
     * Changes some fields, given as a JSON-like map of setting name to value (command-line
     * overrides use this, so that every setting is reachable without one method per field).
     *
     * @param overrides setting name to new value
     * @return new settings
     */
    public DmddSettings with(Map<String, ?> overrides) {
        ObjectNode node = JSON.valueToTree(this);
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            if (!node.has(e.getKey())) {
                throw new IllegalArgumentException("unknown setting '" + e.getKey() + "'");
            }
            node.set(e.getKey(), JSON.valueToTree(e.getValue()));
        }
        if (overrides.containsKey("method") && !overrides.containsKey("studentEncoder")) {
            try {
                Method chosen = JSON.treeToValue(node.get("method"), Method.class);
                if (chosen != method) {
                    node.put("studentEncoder", studentOf(chosen)); // another method: its own student
                }
            } catch (JsonProcessingException | IllegalArgumentException e) {
                // an unknown method: the record's validation below names it
            }
        }
        try {
            return JSON.treeToValue(node, DmddSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad setting: " + explain(e), e);
        }
    }

    /** The setting a failure is about: the innermost named field of its path (a list's element has no name). */
    private static String settingOf(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
            List<com.fasterxml.jackson.databind.JsonMappingException.Reference> path = m.getPath();
            for (int i = path.size() - 1; i >= 0; i--) {
                if (path.get(i).getFieldName() != null) {
                    return path.get(i).getFieldName();
                }
            }
        }
        return null;
    }

    /** The product's own words for a Jackson failure: which setting, what it must be, what it got. */
    private static String explain(JsonProcessingException e) {
        if (e.getCause() instanceof IllegalArgumentException iae) {
            return iae.getMessage(); // the record's own validation, already naming the field
        }
        String field = settingOf(e);
        if (field != null && (e instanceof com.fasterxml.jackson.core.exc.InputCoercionException
                || e.getCause() instanceof com.fasterxml.jackson.core.exc.InputCoercionException)) {
            return "setting '" + field + "' is out of range";
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && field != null) {
            Class<?> type = m.getTargetType();
            String wanted = type == null ? "another type"
                    : type == int.class || type == Integer.class || type == long.class || type == Long.class
                    ? "a whole number"
                    : type == double.class || type == Double.class ? "a number"
                    : type == boolean.class || type == Boolean.class ? "true or false"
                    : type == String.class ? "a text" : java.util.List.class.isAssignableFrom(type) ? "a list"
                    : "one of " + java.util.Arrays.toString(type.getEnumConstants());
            return "setting '" + field + "' must be " + wanted;
        }
        if (e instanceof com.fasterxml.jackson.core.JsonParseException p) {
            return "not valid JSON (" + p.getOriginalMessage() + ")";
        }
        return e.getOriginalMessage();
    }

    /**
     * @param name  setting name
     * @param value new value ({@code null} only where the setting may be absent, as {@code textureFolder})
     * @return new settings with one field changed
     */
    public DmddSettings with(String name, Object value) {
        return with(java.util.Collections.singletonMap(name, value)); // null is a value here (no texture folder)
    }

    /** Infinite values pass every range check written as a lower bound and end a run in NaN losses. */
    private static void finite(String name, double value) {
        require(Double.isFinite(value), name + " must be a finite number: " + value);
    }

    private static boolean inUnit(double q) {
        return q >= 0 && q <= 1;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static String oneOf(String field, String value, String... allowed) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return a;
            }
        }
        throw new IllegalArgumentException(field + " must be one of " + String.join(", ", allowed) + ": " + value);
    }
}

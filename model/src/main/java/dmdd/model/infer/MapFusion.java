package dmdd.model.infer;

import dmdd.model.dmdd.DmddSettings;

/**
 * How the fused map is formed (setting {@code fusion}). {@code segmenter}: the segmentation network's output,
 * DMDD as published. {@code mean_with_branches} (the default, weight 0.97): the weighted mean of that output (weight
 * {@code fusionSegmenterWeight}) and the branch maps, each branch map divided by the top of its calibrated display
 * range, their mean clipped at 1, so that where the segmentation network,
 * trained on synthetic blobs, stays silent inside a large real defect, the branch maps still raise the fused
 * map. The branch ranges come from calibration, so a model with this rule is calibrated in two passes (first
 * the ranges, then the thresholds on the fused maps made with them).
 */
public final class MapFusion {
    private MapFusion() {
    }

    /**
     * @param settings the model's settings
     * @return whether the fused map needs the calibrated branch ranges
     */
    public static boolean usesBranchRanges(DmddSettings settings) {
        return settings.isDmdd() && "mean_with_branches".equals(settings.fusion());
    }

    /**
     * @param settings     the model's settings
     * @param segmentation the segmentation network's output (probabilities), row-major
     * @param normality    the normality-branch map, same size
     * @param abnormality  the abnormality-branch map, same size
     * @param calibrated   the calibrated thresholds and ranges, or {@code null} while calibrating
     * @return the fused map (the segmentation array itself for the {@code segmenter} rule or without ranges)
     */
    public static float[] fuse(DmddSettings settings, float[] segmentation, float[] normality, float[] abnormality,
            Thresholds calibrated) {
        if (!usesBranchRanges(settings) || calibrated == null) {
            return segmentation;
        }
        float normalityTop = (float) calibrated.normality().high();
        float abnormalityTop = (float) calibrated.abnormality().high();
        float w = (float) settings.fusionSegmenterWeight();
        float[] out = new float[segmentation.length];
        for (int i = 0; i < out.length; i++) {
            float branches = Math.min(1f, 0.5f * (normality[i] / normalityTop + abnormality[i] / abnormalityTop));
            out[i] = w * segmentation[i] + (1 - w) * branches;
        }
        return out;
    }
}

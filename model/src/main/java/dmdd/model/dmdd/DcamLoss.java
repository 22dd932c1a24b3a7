package dmdd.model.dmdd;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * DCAM's distillation loss (our reconstruction, {@code docs/methods/DCAM.md}), summed over the three levels:
 * {@code mean(1 - cos(S_l, T_l))} per position (the quantity inspection scores), plus, on the features weighted by
 * the training-only attention masks {@code A_l} ({@code S'_l = A_l S_l}, {@code T'_l = A_l T_l}):
 * <ul>
 *   <li>a KL divergence over spatial positions: per channel, the softmax over positions of {@code T'/tau} against
 *       that of {@code S'/tau}, each map first divided by its root mean square, times {@code tau^2} (scale-invariant
 *       matching of where each channel responds);</li>
 *   <li>a channel-wise cosine: {@code 1 - cos} between each channel's spatial map of {@code T'} and of {@code S'}.</li>
 * </ul>
 */
public final class DcamLoss {
    private static final double EPS = 1e-8;
    private final double klWeight;
    private final double channelWeight;
    private final double temperature;

    /**
     * @param klWeight      weight of the spatial KL divergence
     * @param channelWeight weight of the channel-wise cosine term
     * @param temperature   softmax temperature of the spatial distributions
     */
    public DcamLoss(double klWeight, double channelWeight, double temperature) {
        this.klWeight = klWeight;
        this.channelWeight = channelWeight;
        this.temperature = temperature;
    }

    /**
     * @param settings model settings
     * @return the loss those settings describe
     */
    public static DcamLoss of(DmddSettings settings) {
        return new DcamLoss(settings.spatialKlWeight(), settings.channelCosineWeight(), settings.distillationTemperature());
    }

    /**
     * @param student S_l, three levels
     * @param teacher T_l, three levels
     * @param masks   A_l from {@link DistributedAttention}, three levels
     * @return {@code [total, pixel cosine, spatial KL, channel cosine]}, scalars
     */
    public NDArray[] terms(List<NDArray> student, List<NDArray> teacher, List<NDArray> masks) {
        NDArray pixel = null;
        NDArray kl = null;
        NDArray channel = null;
        float tau = (float) temperature;
        for (int l = 0; l < student.size(); l++) {
            NDArray s = student.get(l);
            NDArray t = teacher.get(l);
            NDArray p = Discrepancy.cosineDistance(s, t).mean();
            pixel = pixel == null ? p : pixel.add(p);
            long n = s.getShape().get(0);
            long c = s.getShape().get(1);
            long positions = s.getShape().get(2) * s.getShape().get(3);
            NDArray sm = s.mul(masks.get(l)).reshape(n, c, positions);
            NDArray tm = t.mul(masks.get(l)).reshape(n, c, positions);
            // each channel's map brought to unit RMS before the softmax: raw activations (and a mask that may
            // concentrate its weight) make the distributions so peaked that the KL's gradients blow training up
            NDArray logPt = standardised(tm).div(tau).logSoftmax(2);
            NDArray logPs = standardised(sm).div(tau).logSoftmax(2);
            NDArray k = logPt.exp().mul(logPt.sub(logPs)).sum(new int[] {2}).mean().mul(tau * tau);
            kl = kl == null ? k : kl.add(k);
            NDArray cos = tm.normalize(2, 2, EPS).mul(sm.normalize(2, 2, EPS)).sum(new int[] {2});
            NDArray ch = cos.neg().add(1f).mean();
            channel = channel == null ? ch : channel.add(ch);
        }
        NDArray total = pixel.add(kl.mul((float) klWeight)).add(channel.mul((float) channelWeight));
        return new NDArray[] {total, pixel, kl, channel};
    }

    /** Divides each channel's spatial map (N x C x P) by its root mean square over the positions. */
    private static NDArray standardised(NDArray x) {
        return x.div(x.square().mean(new int[] {2}, true).add((float) EPS).sqrt());
    }
}

import ai.djl.ndarray.NDManager;
import dmdd.datasets.image.*;
import dmdd.datasets.layout.*;
import dmdd.datasets.synthesis.*;
import dmdd.model.dmdd.*;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.*;
import dmdd.model.metrics.*;
import dmdd.model.teacher.*;
import dmdd.model.train.Synthesis;
import java.nio.file.*;
import java.util.*;

/** args: dataRoot then model dirs (category = model dir name). Prints synthetic-validation metrics. */
public class SynthVal {
    public static void main(String[] a) throws Exception {
        Path data = Path.of(a[0]);
        int reps = Integer.getInteger("reps", 4);
        try (NDManager m = DjlRuntime.engine().newBaseManager()) {
            Backbone teacher = Teachers.load(BackboneKind.MOBILENET_V2, m);
            for (int k = 1; k < a.length; k++) {
                Path model = Path.of(a[k]);
                String cat = model.getFileName().toString();
                try (Inspector insp = Inspector.open(model, teacher)) {
                    DmddSettings s = insp.settings();
                    List<RgbImage> imgs = new ArrayList<>();
                    MvtecCategory.open(data.resolve(cat)).loadTrainGood(new Preprocessing(Integer.getInteger("side", 192), 0).networkInputs())
                        .loaded().forEach(l -> imgs.add(l.image()));
                    List<RgbImage> val = Split.of(imgs, s.validationFraction(), s.seed()).validation();
                    DefectSynthesizer syn = Synthesis.forSettings(DmddSettings.defaults().with("cleanPairFraction", 0.0));
                    List<Float> scores = new ArrayList<>(); List<Boolean> labels = new ArrayList<>();
                    PixelGroundTruth gt = new PixelGroundTruth();
                    List<float[]> maps = new ArrayList<>(); List<boolean[]> pl = new ArrayList<>();
                    for (int i = 0; i < val.size(); i++) {
                        AnomalyMaps clean = insp.inspect(val.get(i));
                        scores.add((float) clean.score()); labels.add(false);
                        for (int r = 0; r < reps; r++) {
                            TrainingPair p = syn.synthesize(val.get(i), new Random(777L + 31L * i + r));
                            AnomalyMaps am = insp.inspect(p.augmented());
                            scores.add((float) am.score()); labels.add(true);
                            maps.add(am.fused()); pl.add(p.mask().toBooleans()); gt.add(p.mask());
                        }
                    }
                    float[] sc = new float[scores.size()]; boolean[] lb = new boolean[sc.length];
                    for (int i = 0; i < sc.length; i++) { sc[i] = scores.get(i); lb[i] = labels.get(i); }
                    int n = 0; for (float[] f : maps) n += f.length;
                    float[] all = new float[n]; boolean[] al = new boolean[n]; int o = 0;
                    for (int i = 0; i < maps.size(); i++) { System.arraycopy(maps.get(i), 0, all, o, maps.get(i).length); System.arraycopy(pl.get(i), 0, al, o, pl.get(i).length); o += maps.get(i).length; }
                    double img = Auroc.compute(sc, lb).value(), pix = Auroc.compute(all, al).value(), pro = Aupro.compute(all, gt, 0.3).value();
                    System.out.printf(Locale.ROOT, "VAL %s %s val=%d img %.3f pix %.3f aupro %.3f mean %.3f%n", a[k], cat, val.size(), img, pix, pro, (img + pix + pro) / 3);
                }
            }
        }
    }
}

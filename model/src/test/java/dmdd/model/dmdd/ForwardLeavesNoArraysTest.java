package dmdd.model.dmdd;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dmdd.model.engine.DjlRuntime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A forward pass leaves nothing in the manager that holds the weights: everything it computes belongs to the call's
 * manager, which is closed after it. The weights' manager lives as long as an open model (the workstation keeps one
 * for the session), so an array left there per call grows with every inspected image and every training step.
 */
class ForwardLeavesNoArraysTest {

    @ParameterizedTest
    @ValueSource(strings = {"dmdd", "aand", "dcam", "baseline"})
    void everyNetworkComputesInTheCallersManager(String method) {
        DjlRuntime.engine();
        DmddSettings settings = DmddSettings.defaults().with("method", method).with("imageSize", 64)
                .with("studentWidth", 8).with("segmenterWidth", 8);
        try (NDManager weights = NDManager.newBaseManager()) {
            TinyBackbone teacher = TinyBackbone.create(weights);
            DmddNetworks nets = DmddNetworks.create(settings, teacher.levelChannels(), weights);
            try (FoldedBatchNorms folded = nets.foldBatchNorms(weights)) {
                int before = weights.getManagedArrays().size();
                for (boolean training : new boolean[] {false, true}) {
                    try (NDManager sm = weights.newSubManager()) {
                        NDArray x = teacher.normalize(sm.randomUniform(0f, 1f, new Shape(2, 3, 64, 64)));
                        forwardAll(nets, teacher, new ParameterStore(sm, false), x, training);
                        forwardAll(nets, teacher, folded.parameterStore(sm), x, training);
                    }
                    assertThat(weights.getManagedArrays()).as("%s, training %s", method, training).hasSize(before);
                }
            }
        }
    }

    private static void forwardAll(DmddNetworks nets, TinyBackbone teacher, ParameterStore ps, NDArray x,
            boolean training) {
        NDList t = new NDList(teacher.forward(ps, new NDList(x), false).subList(0, 3));
        if (nets.amplifier() != null) {
            nets.student().forward(ps, nets.amplifier().forward(ps, t, training), training);
            return;
        }
        NDList s = nets.student().forward(ps, new NDList(x), training);
        if (nets.attention() != null) {
            nets.attention().forward(ps, s, training);
        }
        if (nets.segmenter() != null) {
            nets.segmenter().forward(ps, Discrepancy.segmenterInputs(Discrepancy.unitProducts(t, s), true), training);
        }
    }
}

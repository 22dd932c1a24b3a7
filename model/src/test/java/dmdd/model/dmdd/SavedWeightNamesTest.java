package dmdd.model.dmdd;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.teacher.BackboneKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models and checkpoints saved earlier keep opening: every method's networks at the default settings have the
 * weight names and shapes listed in {@code weight-names-<method>.txt}, which the build of 873c34f wrote (before the
 * networks' convolutions became {@link dmdd.model.engine.ChannelPaddedConvolution.Conv2d} blocks). DJL names a
 * sequential block's parameters after its children's classes, so a renamed block class would rename the weights.
 */
class SavedWeightNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"dmdd", "aand", "dcam", "baseline"})
    void theNetworksWeightNamesAndShapesAreThoseEarlierModelsWereSavedWith(String method) throws IOException {
        DjlRuntime.engine();
        List<String> expected;
        try (InputStream in = getClass().getResourceAsStream("weight-names-" + method + ".txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        List<String> actual = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            DmddNetworks networks = DmddNetworks.create(DmddSettings.defaults().with(Map.of("method", method)),
                    BackboneKind.MOBILENET_V2.levelChannels(), m);
            for (NDArray w : networks.weights()) {
                actual.add(w.getName() + " " + w.getShape());
            }
        }
        assertThat(actual).containsExactlyElementsOf(expected);
    }
}

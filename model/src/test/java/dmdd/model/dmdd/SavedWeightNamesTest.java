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
 * Models and checkpoints saved earlier keep opening: every method's networks at the settings of 873c34f's time have
 * the weight names and shapes listed in {@code weight-names-<method>.txt}, which that build wrote (before the
 * networks' convolutions became {@link dmdd.model.engine.ChannelPaddedConvolution.Conv2d} blocks). DJL names a
 * sequential block's parameters after its children's classes, so a renamed block class would rename the weights; and
 * settings added since then must read such a model's {@code model.json} as the networks it was saved with
 * ({@link DmddSettings#fromSavedJson}). The default student since 2026-12-05 keeps the names listed in
 * {@code weight-names-<method>-inverted-residual.txt}, which the build that made it the default wrote.
 */
class SavedWeightNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"dmdd", "aand", "dcam", "baseline"})
    void theNetworksWeightNamesAndShapesAreThoseEarlierModelsWereSavedWith(String method) throws IOException {
        DjlRuntime.engine();
        List<String> expected = listed("weight-names-" + method + ".txt");
        List<String> actual = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            // the settings such a model's model.json holds: every setting of 873c34f's time, none added since
            String saved = withoutSettingsAddedSince(DmddSettings.defaults().with(Map.of("method", method)).toJson())
                    .replaceAll("\"studentEncoder\"\\s*:\\s*\"[a-z_]+\"\\s*,", "");
            assertThat(saved).doesNotContain("studentEncoder");
            DmddNetworks networks = DmddNetworks.create(DmddSettings.fromSavedJson(saved),
                    BackboneKind.MOBILENET_V2.levelChannels(), m);
            for (NDArray w : networks.weights()) {
                actual.add(w.getName() + " " + w.getShape());
            }
        }
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    /** Today's default student (inverted residual) keeps the names the build that made it the default saved. */
    @ParameterizedTest
    @ValueSource(strings = {"dmdd", "baseline"})
    void theDefaultStudentsWeightNamesAndShapesStayAsTheyWereFirstSaved(String method) throws IOException {
        DjlRuntime.engine();
        DmddSettings today = DmddSettings.defaults().with(Map.of("method", method));
        assertThat(today.studentEncoder()).isEqualTo("inverted_residual");
        // a model.json of that build: without the settings added since
        DmddSettings saved = DmddSettings.fromSavedJson(withoutSettingsAddedSince(today.toJson()));
        List<String> expected = listed("weight-names-" + method + "-inverted-residual.txt");
        assertThat(names(saved)).containsExactlyElementsOf(expected);
        // today's networks (the segmentation network's attention on its reduced features since 2026-12-07) keep every
        // name; only the squeeze-excitation's shapes follow the channels it looks at
        List<String> now = names(today);
        assertThat(now.stream().map(n -> n.substring(0, n.indexOf(' '))).toList())
                .containsExactlyElementsOf(expected.stream().map(n -> n.substring(0, n.indexOf(' '))).toList());
        List<String> changed = new ArrayList<>(now);
        changed.removeAll(expected);
        assertThat(changed).allMatch(n -> n.contains("seSqueeze") || n.contains("seExcite"));
    }

    private static List<String> names(DmddSettings settings) {
        List<String> actual = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            DmddNetworks networks = DmddNetworks.create(settings, BackboneKind.MOBILENET_V2.levelChannels(), m);
            for (NDArray w : networks.weights()) {
                actual.add(w.getName() + " " + w.getShape());
            }
        }
        return actual;
    }

    /** A settings JSON as builds before 2026-12-07 wrote it: without {@code segmenterAttention}. */
    private static String withoutSettingsAddedSince(String json) {
        String without = json.replaceAll("\"segmenterAttention\"\\s*:\\s*\"[a-z_]+\"\\s*,", "");
        assertThat(without).doesNotContain("segmenterAttention");
        return without;
    }

    private List<String> listed(String resource) throws IOException {
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}

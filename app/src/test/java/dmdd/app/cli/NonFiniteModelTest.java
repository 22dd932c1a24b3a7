package dmdd.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import dmdd.app.testing.TinyModel;
import dmdd.model.engine.DjlRuntime;
import dmdd.model.infer.ModelFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model that computes NaN gives an error for every image, never the verdict OK, in every command. */
class NonFiniteModelTest {

    @Test
    void nanWeightsGiveErrorsNotVerdicts(@TempDir Path tmp) throws Exception {
        TinyModel tiny = TinyModel.get();
        ModelFolder good = ModelFolder.read(tiny.model());
        Path broken = tmp.resolve("nan-model");
        DjlRuntime.engine();
        try (NDManager manager = NDManager.newBaseManager()) {
            // The saved weights with the first tensor made NaN (a model whose checksum is fine but whose
            // numbers are not), committed as a save commits.
            NDList saved = NDList.decode(manager, good.readWeights());
            NDList poisoned = new NDList();
            for (int i = 0; i < saved.size(); i++) {
                NDArray a = saved.get(i);
                NDArray b = i == 0 ? a.mul(Float.NaN) : a;
                b.setName(a.getName());
                poisoned.add(b);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            poisoned.encode(bytes, NDList.Encoding.SAFETENSORS);
            ModelFolder.commit(broken, bytes.toByteArray(), good.description());
        }
        Path images = tiny.category().resolve("test/good");

        Path out = tmp.resolve("infer");
        CliRun infer = CliRun.of("infer", "--model", broken.toString(), "--images", images.toString(),
                "--out", out.toString());
        assertThat(infer.code()).isEqualTo(DmddCli.EXIT_FAILURE);
        assertThat(infer.err()).contains("not a finite number").doesNotContain("\tat ");
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.subList(1, 3)).allMatch(l -> l.contains(",,ERROR,")).noneMatch(l -> l.contains(",OK,"));

        Path export = tmp.resolve("export");
        CliRun ex = CliRun.of("export", "--images", images.toString(), "--model", broken.toString(),
                "--out", export.toString(), "--no-maps", "--no-html");
        assertThat(Files.readAllLines(export.resolve("results.csv")).subList(1, 3))
                .allMatch(l -> l.contains(",,ERROR,"));
        assertThat(ex.err()).contains("not a finite number");

        CliRun eval = CliRun.of("eval", "--data", tiny.category().getParent().toString(), "--category",
                tiny.category().getFileName().toString(), "--model", broken.toString(), "--json",
                tmp.resolve("eval.json").toString());
        assertThat(eval.code()).isNotZero();
        assertThat(eval.err()).contains("not a finite number");
        // the final reason is the model's, not a fully labelled category's "no image is labelled yet"
        assertThat(eval.err()).contains("no test image could be evaluated (none of the")
                .contains("images could be inspected").doesNotContain("labelled yet");
    }
}

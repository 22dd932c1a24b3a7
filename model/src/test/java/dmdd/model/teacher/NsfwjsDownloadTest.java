package dmdd.model.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.sun.net.httpserver.HttpServer;
import dmdd.model.engine.DjlRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The download a user without the tarball gets: from an npm registry (here one on this machine serving the package's
 * real tarball at npm's path), checked against the pinned SHA-256, converted, and deleted once both nsfwjs networks
 * are converted, so that choosing the other network later needs no second download.
 */
class NsfwjsDownloadTest {
    @TempDir
    Path cache;

    @Test
    void downloadsFromTheRegistryConvertsBothNetworksAndKeepsNoTarball() throws IOException {
        byte[] tarball = Files.readAllBytes(Fixtures.nsfwjsTarball());
        List<String> requests = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            boolean known = exchange.getRequestURI().getPath().equals("/nsfwjs/-/nsfwjs-4.3.0.tgz");
            exchange.sendResponseHeaders(known ? 200 : 404, known ? tarball.length : -1);
            if (known) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(tarball);
                }
            }
            exchange.close();
        });
        server.start();
        String fixtures = System.clearProperty(TeacherWeights.FIXTURES_PROPERTY); // no local tarball to find
        System.setProperty(NpmRegistry.PROPERTY, "http://127.0.0.1:" + server.getAddress().getPort() + "/");
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            Backbone wide = Teachers.load(BackboneKind.MOBILENET_V2_140, manager, cache, DownloadProgress.NONE);
            assertThat(wide.weightsOrigin().source()).isEqualTo(WeightsOrigin.Source.NSFWJS_DOWNLOADED_TARBALL);
            assertThat(wide.weightsOrigin().sha256()).isEqualTo(NsfwjsConverter.CONVERTED_140_SHA256);
            assertThat(cache.resolve(NsfwjsConverter.tarballFileName())).doesNotExist();
            Backbone narrow = Teachers.load(BackboneKind.MOBILENET_V2, manager, cache, DownloadProgress.NONE);
            assertThat(narrow.weightsOrigin().source()).isEqualTo(WeightsOrigin.Source.CACHE);
            assertThat(narrow.weightsOrigin().sha256()).isEqualTo(NsfwjsConverter.CONVERTED_SHA256);
            assertThat(requests).containsExactly("/nsfwjs/-/nsfwjs-4.3.0.tgz");
        } finally {
            System.clearProperty(NpmRegistry.PROPERTY);
            if (fixtures != null) {
                System.setProperty(TeacherWeights.FIXTURES_PROPERTY, fixtures);
            }
            server.stop(0);
        }
    }
}

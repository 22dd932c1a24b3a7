package dmdd.model.teacher;

import dmdd.datasets.image.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/** Downloads one file over HTTPS with progress, checks its SHA-256 and stores it atomically. */
final class HttpDownload {
    private HttpDownload() {
    }

    /**
     * Downloads {@code uri} to {@code target}. The file appears only when complete and (if a
     * checksum is given) correct.
     *
     * @param uri            what to download
     * @param target         where to store it
     * @param expectedSha256 the pinned SHA-256, or {@code null} to accept any content
     * @param task           what to call the download in progress reports
     * @param progress       receives bytes done and total
     * @return the SHA-256 of the downloaded file
     * @throws IOException when the download fails or the checksum differs (target unchanged)
     */
    static String download(URI uri, Path target, String expectedSha256, String task, DownloadProgress progress)
            throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("download of " + uri + " was interrupted", e);
        } catch (IOException e) {
            // a refused or failed connection often carries no message of its own
            throw new IOException("cannot download " + uri + ": " + (e.getMessage() != null ? e.getMessage()
                    : "no connection (" + e.getClass().getSimpleName() + ")"), e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("cannot download " + uri + ": HTTP status " + response.statusCode());
        }
        long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        MessageDigest digest = WeightFiles.newSha256();
        String[] sha = new String[1];
        try (InputStream in = response.body()) {
            AtomicFiles.write(target, out -> {
                byte[] buffer = new byte[1 << 16];
                long done = 0;
                progress.update(task, 0, total);
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    digest.update(buffer, 0, n);
                    done += n;
                    progress.update(task, done, total);
                }
                sha[0] = HexFormat.of().formatHex(digest.digest());
                if (expectedSha256 != null && !expectedSha256.equals(sha[0])) {
                    // Thrown inside the writer, so the temporary file is discarded.
                    throw new TeacherWeightsException("download of " + uri + " has the wrong checksum: SHA-256 "
                            + sha[0] + ", expected " + expectedSha256 + "; nothing was stored");
                }
            });
        }
        return sha[0];
    }
}

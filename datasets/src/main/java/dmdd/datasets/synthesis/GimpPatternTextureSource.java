package dmdd.datasets.synthesis;

import dmdd.datasets.image.RgbImage;
import dmdd.datasets.layout.ImportReport;
import dmdd.datasets.layout.InvalidLayoutException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Textures from GIMP pattern files ({@code .pat}), for example the ones installed with GIMP
 * ({@code /usr/share/gimp/2.0/patterns}). A pattern, optionally enlarged up to two times, is tiled
 * from a random offset to the requested size. Unreadable files are skipped and listed in
 * {@link #report()}.
 */
public final class GimpPatternTextureSource implements TextureSource {
    private final Path location;
    private final ImportReport<GimpPattern> report;

    private GimpPatternTextureSource(Path location, ImportReport<GimpPattern> report) {
        this.location = location;
        this.report = report;
    }

    /**
     * Loads one {@code .pat} file or every one in a folder and its sub-folders.
     *
     * @param fileOrFolder a pattern file or a folder of them
     * @return the source
     * @throws IOException when the location is missing or no pattern in it can be read
     */
    public static GimpPatternTextureSource open(Path fileOrFolder) throws IOException {
        if (!Files.exists(fileOrFolder)) {
            throw new InvalidLayoutException(fileOrFolder, "Pattern location " + fileOrFolder + " does not exist");
        }
        List<Path> files;
        if (Files.isDirectory(fileOrFolder)) {
            try (Stream<Path> s = Files.walk(fileOrFolder)) {
                files = s.filter(Files::isRegularFile)
                        .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pat"))
                        .sorted().toList();
            }
        } else {
            files = List.of(fileOrFolder);
        }
        ImportReport<GimpPattern> report = ImportReport.loadAll(files, GimpPattern::read);
        if (report.loaded().isEmpty()) {
            throw new InvalidLayoutException(fileOrFolder, "No readable GIMP pattern (.pat) in " + fileOrFolder
                    + (report.hasSkipped() ? ": " + report.summary() : ""));
        }
        return new GimpPatternTextureSource(fileOrFolder, report);
    }

    /** @return the patterns loaded and the files skipped */
    public ImportReport<GimpPattern> report() {
        return report;
    }

    @Override
    public RgbImage texture(int width, int height, RgbImage normal, Random rng) {
        List<GimpPattern> patterns = report.loaded();
        RgbImage pattern = patterns.get(rng.nextInt(patterns.size())).image();
        double scale = 1 + rng.nextDouble();
        int pw = Math.max(1, (int) Math.round(pattern.width() * scale));
        int ph = Math.max(1, (int) Math.round(pattern.height() * scale));
        RgbImage scaled = pattern.resize(pw, ph);
        return Textures.tile(scaled, width, height, rng.nextInt(pw), rng.nextInt(ph));
    }

    @Override
    public String describe() {
        return "GIMP patterns in " + location + " (" + report.loaded().size() + ")";
    }
}

package dmdd.app.cli;

import dmdd.datasets.image.FolderWalk;
import dmdd.datasets.image.ImageFiles;
import dmdd.datasets.layout.InvalidLayoutException;
import dmdd.datasets.layout.MvtecCategory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Checks of the command line's folders and files, each failing with one line naming the path. */
final class CliInputs {
    private CliInputs() {
    }

    /**
     * @param failed images without a result
     * @param total  images given
     * @return "1 of 2 images has no result", "2 of 3 images have no result", "1 of 1 image has no result"
     */
    static String noResult(long failed, long total) {
        return failed + " of " + total + (total == 1 ? " image" : " images") + (failed == 1 ? " has" : " have")
                + " no result";
    }

    /**
     * @param dir    a folder given on the command line
     * @param option the option that named it, for the message
     * @return the folder, absolute
     */
    static Path existingFolder(Path dir, String option) {
        if (!Files.exists(dir)) {
            throw new CliException(option + " " + dir + ": no such folder");
        }
        if (!Files.isDirectory(dir)) {
            throw new CliException(option + " " + dir + ": is a file, not a folder");
        }
        return dir.toAbsolutePath().normalize();
    }

    /**
     * A folder for results (maps, reports, generated images): never a model folder or a folder inside one, whose
     * kept versions and files are the model's own (results there were read as a damaged version).
     *
     * @param dir    a folder the command will create or fill
     * @param option the option that named it, for the message
     * @return the folder, absolute (created)
     */
    static Path outputFolder(Path dir, String option) {
        Path model = dmdd.model.infer.ModelFolder.enclosing(dir.resolve("results"));
        if (model != null) {
            throw inModelFolder(option, dir, model, "write it elsewhere");
        }
        return writableFolder(dir, option);
    }

    /**
     * A folder a model is saved to (train, improve, import): a model folder itself is fine, one inside another model
     * folder is not (a kept version rewritten, or a model hidden among another's files).
     *
     * @param dir    the model folder
     * @param option the option that named it, for the message
     * @return the folder, absolute (created)
     */
    static Path modelOutputFolder(Path dir, String option) {
        refuseInsideModel(dir, option);
        return writableFolder(dir, option);
    }

    /**
     * Refuses a model folder inside another one (its {@code versions/} included).
     *
     * @param dir    the model folder
     * @param option the option that named it, for the message
     */
    static void refuseInsideModel(Path dir, String option) {
        Path model = dmdd.model.infer.ModelFolder.enclosing(dir);
        if (model != null) {
            throw inModelFolder(option, dir, model, "give the model a folder of its own");
        }
    }

    /**
     * The one refusal of a path in a model folder, whose kept versions and files are that model's own.
     *
     * @param option the option that named the path
     * @param path   the path
     * @param model  the model folder it is in ({@link dmdd.model.infer.ModelFolder#enclosing})
     * @param remedy what to do instead
     * @return the error
     */
    private static CliException inModelFolder(String option, Path path, Path model, String remedy) {
        boolean itself = Files.isRegularFile(path.resolve(dmdd.model.infer.ModelFolder.DESCRIPTION))
                && model.equals(dmdd.model.infer.ModelFolder.enclosing(path.resolve("x")));
        return new CliException(option + " " + path + ": is " + (itself ? "a model folder"
                : "inside the model folder " + model) + "; " + remedy);
    }

    /**
     * @param dir    a folder the command will create or fill
     * @param option the option that named it, for the message
     * @return the folder, absolute (created)
     */
    static Path writableFolder(Path dir, String option) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CliException(option + " " + dir + ": is a file, not a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CliException(option + " " + dir + ": cannot create the folder (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new CliException(option + " " + dir + ": folder is not writable");
        }
        try {
            // the folder the system made, links and '..' resolved as it resolved them
            return dir.toRealPath();
        } catch (IOException e) {
            throw new CliException(option + " " + dir + ": cannot be resolved (" + e.getMessage() + ")");
        }
    }

    /**
     * The maps {@code infer} writes beside its results.csv; {@code DOTALL}: a file name may hold a line break.
     */
    private static final java.util.regex.Pattern INFER_MAP = java.util.regex.Pattern.compile(
            ".+\\.(normality|abnormality|fine|coarse|fused|overlay)\\.png", java.util.regex.Pattern.DOTALL);

    /**
     * Whether a file or folder directly in a marked output folder is a result an earlier run of {@code infer} or
     * {@code export} wrote there: both commands replace both kinds, so an {@code infer} into a folder an
     * {@code export} wrote never leaves that export's maps and report beside the new results.csv.
     *
     * @param name a name directly in the output folder
     * @return whether the next run removes it
     */
    static boolean resultOfARun(String name) {
        return name.equals(dmdd.model.pipeline.ResultsCsv.FILE_NAME) || name.equals("report.html")
                || name.equals("maps") || INFER_MAP.matcher(name).matches();
    }

    /**
     * The stems of the map-named files left in an output folder once an earlier run's are removed: a person's own
     * (the run gives its maps other names, so as not to write over them).
     *
     * @param dir the output folder
     * @return the stems, lower-case ({@code x} for {@code x.fused.png})
     * @throws IOException when the folder cannot be listed
     */
    static Set<String> mapStemsLeft(Path dir) throws IOException {
        Set<String> stems = new java.util.HashSet<>();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> INFER_MAP.matcher(n).matches())
                    .forEach(n -> {
                        String withoutPng = n.substring(0, n.length() - ".png".length());
                        stems.add(withoutPng.substring(0, withoutPng.lastIndexOf('.')).toLowerCase(Locale.ROOT));
                    });
        }
        return stems;
    }

    /**
     * Marks an output folder as written by a command (its name inside), so a later run may replace its files. It
     * also records what the last run wrote: the time it started and, once it ended, each file it wrote; a later run
     * removes exactly those, so a file a person put there later, even one named like a result, stays.
     */
    static final String RUN_MARKER = dmdd.datasets.image.ImageFiles.RESULTS_MARKER;
    /** Where a run keeps an earlier run's results while it writes its own ({@link #clearEarlierRun}). */
    static final String ASIDE = ".dmdd-earlier-results";
    private static final String MARKER_HEADER = "written by DMDD Inspector; a later run may replace the results here";
    private static final String STARTED = "started ";
    private static final String WROTE = "wrote ";
    private static final String ENDED = "ended";
    /** File times are coarser than the clock on some file systems: a file this much older still counts. */
    private static final long CLOCK_GRACE_MILLIS = 2_000;

    /**
     * Claims an output folder for a command before any work: a non-empty folder no run of it has marked is someone
     * else's, and the command refuses it rather than write among or delete its files. The folder is marked for the
     * run about to write. Nothing is removed here: an earlier run's results stay until the run has checked
     * everything it can check first ({@link #clearEarlierRun}).
     *
     * @param dir the output folder
     * @throws IOException when the folder cannot be read or marked
     */
    static void claimOutputFolder(Path dir) throws IOException {
        Path marker = dir.resolve(RUN_MARKER);
        if (!Files.isRegularFile(marker)) {
            // A folder no run of this command marked is someone else's: results written among its files (training
            // images, a dataset, a model, a project) would become part of them, and its files are not ours to
            // delete. Named: one of the command's own file names when it holds one, else its first file.
            List<Path> old = earlierRun(dir);
            List<Path> any;
            try (java.util.stream.Stream<Path> files = Files.list(dir)) {
                any = files.sorted().limit(1).toList();
            }
            Path named = !old.isEmpty() ? old.get(0) : any.isEmpty() ? null : any.get(0);
            if (named != null) {
                throw new CliException("--out " + dir + " already holds " + named.getFileName()
                        + ", not written by an earlier run of this command; not replacing it (choose a new or empty "
                        + "folder, or one an earlier run of this command wrote)");
            }
        }
        if (!Files.isRegularFile(marker)) {
            writeMarker(dir, List.of());
        } else if (runningInto(dir)) {
            throw new CliException("--out " + dir + ": another run is writing its results there now (its "
                    + RUN_MARKER + " was touched " + (System.currentTimeMillis()
                    - Files.getLastModifiedTime(marker).toMillis()) / 1000 + " s ago); wait for it or choose another "
                    + "folder");
        }
    }

    /**
     * When the recorded run started, or null for a record without one (a version that kept no record).
     *
     * @throws NumberFormatException when the line is damaged
     */
    private static Long startOf(List<String> record) {
        return record.stream().filter(line -> line.startsWith(STARTED)).findFirst()
                .map(line -> Long.parseLong(line.substring(STARTED.length()).trim())).orElse(null);
    }

    /** When the recorded run ended (0: ended, time not recorded), or null when it did not end. */
    private static Long endOf(List<String> record) {
        for (String line : record) {
            if (line.equals(ENDED)) {
                return 0L;
            }
            if (line.startsWith(ENDED + " ")) {
                try {
                    return Long.parseLong(line.substring(ENDED.length() + 1).trim());
                } catch (NumberFormatException damaged) {
                    return 0L;
                }
            }
        }
        return null;
    }

    /** Whether a run that has not ended keeps the folder's marker fresh ({@link Heartbeat}). */
    private static boolean runningInto(Path dir) throws IOException {
        Path marker = dir.resolve(RUN_MARKER);
        List<String> record;
        try {
            record = Files.readAllLines(marker, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException damaged) {
            return false; // said when the record is read
        }
        try {
            if (startOf(record) == null) {
                return false;
            }
        } catch (NumberFormatException damaged) {
            return false; // said when the record is read
        }
        return endOf(record) == null
                && Math.abs(System.currentTimeMillis() - Files.getLastModifiedTime(marker).toMillis()) < ALIVE_MILLIS;
    }

    /** How often a running run touches its marker. */
    static final long HEARTBEAT_MILLIS = 2_000;
    /** A marker touched within this time belongs to a run that still writes; older, to one that was killed. */
    private static final long ALIVE_MILLIS = 10_000;

    /**
     * Touches the output folder's marker every {@link #HEARTBEAT_MILLIS} while a run writes there: a run killed at
     * any moment is then known to have written nothing later than a few seconds after the last touch, and a second
     * run sees that the folder is taken.
     */
    static final class Heartbeat implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService timer;

        /**
         * @param dir the output folder
         */
        Heartbeat(Path dir) {
            timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread t = new Thread(runnable, "dmdd-output-heartbeat");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(() -> touch(dir), 0, HEARTBEAT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    private static void touch(Path dir) {
        try {
            Files.setLastModifiedTime(dir.resolve(RUN_MARKER),
                    java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // only a killed run's clean-up is less precise
        }
    }

    /**
     * After a run that failed before writing anything: a folder it created holds nothing but its mark, and goes
     * (an empty, marked folder would look like results).
     *
     * @param dir          the output folder
     * @param firstCreated the first folder this run created ({@link #firstMissing}), or null when it created none
     */
    static void removeIfUnused(Path dir, Path firstCreated) {
        if (firstCreated == null) {
            return;
        }
        try {
            if (!dmdd.datasets.image.ImageFiles.holdsOnlyResultsMarker(dir)) {
                return;
            }
            Files.deleteIfExists(dir.resolve(RUN_MARKER));
            removeCreated(dir, firstCreated);
        } catch (IOException e) {
            // the folder stays; the failure is what the user needs to hear about
        }
    }

    /**
     * @param dir a folder about to be created
     * @return the first of its folders that does not exist yet (what a failed run removes again), or null
     */
    static Path firstMissing(Path dir) {
        Path missing = null;
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
            missing = p;
        }
        return missing;
    }

    /**
     * Removes the empty folders a failed run created, from {@code dir} up to {@code firstCreated} ({@code --out
     * a/b} with neither there: b, then a).
     *
     * @param dir          the deepest folder the run created
     * @param firstCreated the first folder the run created ({@link #firstMissing}), or null
     */
    static void removeCreated(Path dir, Path firstCreated) {
        if (firstCreated == null) {
            return;
        }
        Path first;
        try {
            first = firstCreated.getParent() == null ? firstCreated
                    : firstCreated.getParent().toRealPath().resolve(firstCreated.getFileName());
        } catch (IOException e) {
            return;
        }
        for (Path p = dir; p != null && p.startsWith(first); p = p.getParent()) {
            try (java.util.stream.Stream<Path> left = Files.list(p)) {
                if (left.findAny().isPresent()) {
                    break;
                }
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                break; // the folder stays; the failure is what the user needs to hear about
            }
        }
    }

    private static void writeMarker(Path dir, List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder(MARKER_HEADER).append('\n');
        lines.forEach(line -> text.append(line).append('\n'));
        dmdd.datasets.image.AtomicFiles.writeBytes(dir.resolve(RUN_MARKER),
                text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Records, at the end of a run (finished, failed or stopped), the files it wrote into its output folder: the
     * results named like a run's whose time is not before the run's start.
     *
     * @param dir     the output folder
     * @param start   the run's start ({@link #clearEarlierRun} gives it)
     * @throws IOException when the folder cannot be listed or the record written
     */
    static void recordRun(Path dir, RunStart start) throws IOException {
        // finished or stopped by the person: the earlier run's results it replaced go for good
        dmdd.datasets.image.Folders.deleteTree(dir.resolve(ASIDE));
        List<String> lines = new java.util.ArrayList<>();
        lines.add(STARTED + start.millis());
        lines.add(ENDED + " " + System.currentTimeMillis());
        for (Path p : writtenBy(dir, start)) {
            // encoded: a name may hold a line break, which must not read as another line of the record
            lines.add(WROTE + java.net.URLEncoder.encode(dir.relativize(p).toString().replace('\\', '/'),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        writeMarker(dir, lines);
    }

    /** The results in the folder that a run wrote since its start (for its record, or to undo it). */
    private static List<Path> writtenBy(Path dir, RunStart start) throws IOException {
        List<Path> own = new java.util.ArrayList<>();
        for (Path p : candidates(dir)) {
            // files there before the run (a person's) are not its own, however close their time
            if (!start.before().contains(p)
                    && Files.getLastModifiedTime(p).toMillis() >= start.millis() - CLOCK_GRACE_MILLIS) {
                own.add(p);
            }
        }
        return own;
    }

    /** The files directly in the folder named like a run's results, and the pictures in its {@code maps/}. */
    private static List<Path> candidates(Path dir) throws IOException {
        List<Path> found = new java.util.ArrayList<>();
        for (Path p : earlierRun(dir)) {
            if (!Files.isDirectory(p)) {
                found.add(p);
                continue;
            }
            try (java.util.stream.Stream<Path> tree = Files.walk(p)) {
                tree.filter(q -> Files.isRegularFile(q) && (q.getFileName().toString().endsWith(".png")
                                || dmdd.datasets.image.AtomicFiles.isTemporary(q)))
                        .sorted().forEach(found::add);
            }
        }
        return found;
    }

    /**
     * Removes the files an earlier run of the same command left in the output folder it claimed
     * ({@link #claimOutputFolder}), after saying so, so that results of two runs never mix (stale heatmaps beside a
     * new results.csv); other files in the folder stay. Call it once the run has opened its model and device and read
     * its inputs, so that a mistake found there leaves the earlier results as they were.
     *
     * <p>Which files are the earlier run's: those its record lists ({@link #recordRun}); for a run that was killed
     * before it recorded them, the results written since it started; for a folder marked by a version that kept no
     * record, every file named like a result.
     *
     * @param dir the output folder
     * @param err where the note goes
     * @return when this run starts writing and what was there before (for {@link #recordRun})
     * @throws IOException when a file cannot be removed
     */
    static RunStart clearEarlierRun(Path dir, java.io.PrintWriter err)
            throws IOException {
        if (Files.isDirectory(dir.resolve(ASIDE))) {
            // A run killed while it held an earlier run's results aside: those come back (and are replaced below
            // like any earlier results). Its own files go only when it had set the record aside too, the last move
            // before it writes anything; killed before that, the files left are the earlier run's not yet moved.
            boolean wroteItsOwn = Files.isRegularFile(dir.resolve(ASIDE).resolve(RUN_MARKER));
            putBackEarlierRun(dir, wroteItsOwn ? earlierRunsFiles(dir) : List.of());
        }
        List<Path> old = earlierRunsFiles(dir);
        long started = System.currentTimeMillis();
        if (!old.isEmpty()) {
            err.println("note: replacing the results of an earlier run in " + dir + " (" + old.size() + " "
                    + (old.size() == 1 ? "file" : "files") + "; they come back if this run fails)");
            // Set aside by renaming, which takes no space on a full disk, until this run has finished: a run that
            // fails part way (a full disk, a broken model) puts them back instead of leaving a part of its own.
            Path aside = dir.resolve(ASIDE);
            try {
                for (Path p : old) {
                    Path target = aside.resolve(dir.relativize(p).toString());
                    Files.createDirectories(target.getParent());
                    Files.move(p, target);
                }
                Files.move(dir.resolve(RUN_MARKER), aside.resolve(RUN_MARKER));
            } catch (IOException e) {
                // refused part way: what was moved goes back, and the earlier results stay as they were
                try {
                    putBackEarlierRun(dir, List.of());
                } catch (IOException back) {
                    e.addSuppressed(back);
                }
                throw e;
            }
            removeEmptyMapFolders(dir);
        }
        // Killed from here on, the next run finds the start and removes what was written since.
        writeMarker(dir, List.of(STARTED + started));
        return new RunStart(started, Set.copyOf(candidates(dir)));
    }

    /**
     * Ends a run that failed part way: the files it wrote go, and the earlier run's results it had set aside
     * ({@link #clearEarlierRun}) come back as they were, so that no part of a run is left looking like a whole one.
     *
     * @param dir   the output folder
     * @param start the run's start
     * @return whether an earlier run's results came back
     * @throws IOException when a file cannot be removed or moved back
     */
    static boolean undoRun(Path dir, RunStart start) throws IOException {
        boolean earlier = Files.isDirectory(dir.resolve(ASIDE));
        putBackEarlierRun(dir, writtenBy(dir, start));
        return earlier;
    }

    /**
     * Ends a run that failed part way ({@link #undoRun}), says what became of its output folder, and throws the
     * failure on.
     *
     * @param dir     the output folder
     * @param start   the run's start
     * @param err     where the note goes
     * @param done    images the run had done
     * @param total   images it was given
     * @param failure what stopped it
     * @throws Exception always: the failure
     */
    static void undoAfterFailure(Path dir, RunStart start, java.io.PrintWriter err, int done, int total,
            Throwable failure) throws Exception {
        String run = "note: the run failed after " + done + " of " + total + " " + (total == 1 ? "image" : "images");
        try {
            boolean back = undoRun(dir, start);
            err.println(run + "; what it wrote in " + dir + " was removed"
                    + (back ? " and the earlier run's results there are back as they were" : ""));
        } catch (IOException e) {
            failure.addSuppressed(e);
            err.println(run + "; its files in " + dir + " could not all be removed (" + e.getMessage() + "): the "
                    + "results there are incomplete");
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw (Exception) failure;
    }

    /** Removes a run's own files, then moves the earlier run's set-aside results (and record) back. */
    private static void putBackEarlierRun(Path dir, List<Path> own) throws IOException {
        for (Path p : own) {
            Files.deleteIfExists(p);
        }
        Path aside = dir.resolve(ASIDE);
        if (Files.isDirectory(aside)) {
            try (java.util.stream.Stream<Path> tree = Files.walk(aside)) {
                for (Path q : tree.filter(Files::isRegularFile).toList()) {
                    Path back = dir.resolve(aside.relativize(q).toString());
                    Files.createDirectories(back.getParent());
                    Files.move(q, back, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            dmdd.datasets.image.Folders.deleteTree(aside);
        } else {
            // no earlier results: the folder is as the claim left it
            writeMarker(dir, List.of());
        }
        removeEmptyMapFolders(dir);
    }

    private static void removeEmptyMapFolders(Path dir) throws IOException {
        Path maps = dir.resolve("maps");
        if (Files.isDirectory(maps)) {
            try (java.util.stream.Stream<Path> tree = Files.walk(maps)) {
                for (Path q : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    if (Files.isDirectory(q) && isEmpty(q)) {
                        Files.delete(q);
                    }
                }
            }
        }
    }

    /**
     * A run's start in its output folder.
     *
     * @param millis when it started writing
     * @param before the result-named files left there before it wrote anything (a person's), never its own
     */
    record RunStart(long millis, Set<Path> before) {
    }

    /** Whether a marked results folder's run wrote this file (a damaged record counts every file as its). */
    private static boolean isRunsOwnFile(Path dir, Path file) {
        try {
            return earlierRunsFiles(dir).stream().anyMatch(f -> f.toAbsolutePath().normalize().equals(file));
        } catch (IOException | CliException e) {
            return true;
        }
    }

    private static List<Path> earlierRunsFiles(Path dir) throws IOException {
        Path marker = dir.resolve(RUN_MARKER);
        List<String> record;
        try {
            record = Files.isRegularFile(marker)
                    ? Files.readAllLines(marker, java.nio.charset.StandardCharsets.UTF_8) : List.of();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CliException("--out " + dir + ": its " + RUN_MARKER + " is damaged (not text); nothing was "
                    + "replaced (remove that file to let this command replace the results there)");
        }
        Long started;
        List<String> wrote;
        try {
            started = startOf(record);
            wrote = record.stream().filter(line -> line.startsWith(WROTE))
                    .map(line -> java.net.URLDecoder.decode(line.substring(WROTE.length()),
                            java.nio.charset.StandardCharsets.UTF_8)).toList();
        } catch (IllegalArgumentException damaged) {
            throw new CliException("--out " + dir + ": its " + RUN_MARKER + " is damaged (" + damaged.getMessage()
                    + "); nothing was replaced (remove that file to let this command replace the results there)");
        }
        if (started == null) {
            return candidates(dir); // marked before runs kept a record
        }
        List<Path> files = new java.util.ArrayList<>();
        Path realDir = dir.toRealPath();
        Long ended = endOf(record);
        if (ended != null) {
            for (String name : wrote) {
                Path file = dir.resolve(name).normalize();
                // never a file elsewhere, not even through a link inside the folder (a hand-edited record), nor one
                // a person wrote over after the run (it is theirs now)
                if (file.startsWith(dir) && Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        && file.getParent().toRealPath().startsWith(realDir)
                        && (ended == 0 || Files.getLastModifiedTime(file).toMillis() <= ended + CLOCK_GRACE_MILLIS)) {
                    files.add(file);
                }
            }
            return files;
        }
        // A run killed before it recorded its files: what it wrote lies between its start and its last sign of
        // life (the marker's time, touched every few seconds as it ran), so a file a person added later stays.
        long lastAlive = Files.getLastModifiedTime(dir.resolve(RUN_MARKER)).toMillis();
        for (Path p : candidates(dir)) {
            long written = Files.getLastModifiedTime(p).toMillis();
            if (written >= started - CLOCK_GRACE_MILLIS && written <= lastAlive + HEARTBEAT_MILLIS + CLOCK_GRACE_MILLIS) {
                files.add(p);
            }
        }
        return files;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static List<Path> earlierRun(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> resultOfARun(p.getFileName().toString())
                    || dmdd.datasets.image.AtomicFiles.isTemporary(p)).sorted().toList();
        }
    }

    /**
     * Refuses an output folder inside (or equal to) the folder of images read: the next run would inspect its
     * own heatmaps.
     *
     * @param out       the output folder option's value
     * @param images    the images folder option's value
     * @param outOption the output option's name, for the message
     */
    static void outsideOf(Path out, Path images, String outOption) {
        outsideOf(out, images, outOption, "--images " + images, "the next run would inspect its own heatmaps");
    }

    /**
     * Refuses an output folder inside a folder the command or a later one reads as input (checked before anything is
     * created there).
     *
     * @param out       the output folder
     * @param inputs    a folder of inputs
     * @param outOption the option that named the output
     * @param what      the inputs as the message names them
     * @param why       what would go wrong
     */
    static void outsideOf(Path out, Path inputs, String outOption, String what, String why) {
        Path o = dmdd.model.paths.ResolvedPath.of(out);
        Path i = dmdd.model.paths.ResolvedPath.of(inputs);
        if (o.startsWith(i)) {
            throw new CliException(outOption + " " + out + ": is inside " + what + " (" + why
                    + "); choose a folder outside it");
        }
    }

    /**
     * Refuses a folder of results this program wrote ({@code .dmdd-results}) as input images: heatmaps are not
     * pictures of parts, to train on or to inspect.
     *
     * @param dir    a folder of input images
     * @param option the option that named it
     */
    static void notResults(Path dir, String option) {
        Path given = dmdd.model.paths.ResolvedPath.of(dir);
        for (Path folder = given; folder != null; folder = folder.getParent()) {
            if (dmdd.datasets.image.ImageFiles.isResultsFolder(folder)) {
                throw new CliException(option + " " + dir + ": " + (folder.equals(given) ? "holds" : "is in")
                        + " results this program wrote (" + folder.resolve(RUN_MARKER) + "), heatmaps, not images of "
                        + "parts; give the folder of the images themselves");
            }
        }
    }

    /** What an output file holds: an existing file is only replaced when it already holds the same kind. */
    enum OutputKind {
        /** A JSON document ({@code eval --json}). */
        JSON("an earlier eval result", "{"),
        /** A results CSV ({@code review-queue --out}): its header, not just a first column named "file". */
        CSV("a results CSV", "file,score,verdict,"),
        /** A model archive ({@code export --model-zip}): any other zip is a user's. */
        ZIP("a model archive");

        private final String description;
        private final String[] starts;

        OutputKind(String description, String... starts) {
            this.description = description;
            this.starts = starts;
        }

        boolean matches(Path existing) throws IOException {
            if (this == JSON) {
                return isEvalResult(existing);
            }
            if (this == ZIP) {
                return Files.size(existing) == 0 || isModelArchive(existing); // an empty file holds nothing to lose
            }
            byte[] head;
            try (java.io.InputStream in = Files.newInputStream(existing)) {
                head = in.readNBytes(64);
            }
            if (head.length == 0) {
                return true; // an empty file holds nothing to lose
            }
            String text = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).stripLeading();
            for (String start : starts) {
                if (text.startsWith(start)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Whether a zip holds the manifest every model archive has (a damaged or foreign zip is a user's file). */
    private static boolean isModelArchive(Path existing) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(existing.toFile())) {
            return zip.getEntry(dmdd.model.export.ModelArchive.MANIFEST) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether an existing file is empty or an earlier {@code eval} result (a JSON object with {@code image_auroc},
     * or {@code models} for a side-by-side evaluation): any other JSON (a project's {@code project.json}, a
     * settings file, annotations) is a user's document.
     */
    private static boolean isEvalResult(Path existing) throws IOException {
        if (Files.size(existing) == 0) {
            return true;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(existing.toFile());
            return j != null && j.isObject() && (j.has("image_auroc") || j.has("models"));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            return false;
        }
    }

    /**
     * An output file. An existing file is replaced only when it holds what the command writes (an earlier eval
     * result for JSON, ...) and is not part of a model folder, so that a mistyped path never overwrites an image, a
     * model or a user's document.
     *
     * @param file   a file the command will write
     * @param option the option that named it, for the message
     * @param kind   what the command writes there
     * @return the file, absolute; its folder exists
     */
    static Path outputFile(Path file, String option, OutputKind kind) {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw new CliException(option + " " + file + ": is a folder, not a file");
        }
        Path folder = abs.getParent();
        Path model = dmdd.model.infer.ModelFolder.enclosing(abs);
        if (model != null) {
            throw inModelFolder(option, file, model, "write it elsewhere");
        }
        if (folder != null && Files.isRegularFile(abs) && Files.isRegularFile(folder.resolve(RUN_MARKER))
                && isRunsOwnFile(folder, abs)) {
            // that folder's results.csv and maps are one run's answer; replacing one file would leave maps
            // without their rows, or rows of another run beside them (a file the run did not write, an earlier
            // eval result put there, is replaced as anywhere else)
            throw new CliException(option + " " + file + ": is in the results folder of an earlier run (" + folder
                    + ", marked by " + RUN_MARKER + "); not replacing it (choose another name or folder)");
        }
        if (Files.isRegularFile(abs)) {
            boolean same;
            try {
                same = kind.matches(abs);
            } catch (IOException e) {
                throw new CliException(option + " " + file + ": exists and cannot be read (" + e.getMessage() + ")");
            }
            if (!same) {
                throw new CliException(option + " " + file + ": exists and is not " + kind.description
                        + "; not replacing it (choose another name or remove it)");
            }
        }
        Path parent = abs.getParent();
        if (parent != null) {
            writableFolder(parent, option);
        }
        return abs;
    }

    /**
     * Says what a command that reads the images directly in {@code dir} leaves out: files that are not images by
     * their name, and how many images its sub-folders hold (they vanished without a word, while
     * {@code export --images} reads them).
     *
     * @param dir  the folder given
     * @param err  where the note goes
     * @param read how many images directly in it are read
     */
    static void noteFilesLeftOut(Path dir, PrintWriter err, int read) {
        noteOtherFiles(dir, false, err);
        int all;
        try {
            all = ImageFiles.listRecursively(dir).size();
        } catch (IOException e) {
            return; // only a note
        }
        if (all > read) {
            err.println("note: " + (all - read) + (all - read == 1 ? " image" : " images") + " in sub-folders of "
                    + dir + " not inspected (this command reads the images directly in the folder; export --images "
                    + "reads sub-folders too)");
        }
    }

    /**
     * Names the files a command leaves out because they are not images by their name (a picture saved without an
     * extension, a {@code .webp}), and, when it reads sub-folders, the links back into a folder above them that it
     * does not follow: a note, as they may be pictures the person meant, and would vanish without a word.
     *
     * @param dir       the folder read
     * @param recursive whether the command reads its sub-folders too
     * @param err       where the note goes
     */
    static void noteOtherFiles(Path dir, boolean recursive, PrintWriter err) {
        ImageFiles.Listing listing;
        try {
            // one walk for both notes
            listing = recursive ? ImageFiles.listing(dir)
                    : new ImageFiles.Listing(List.of(), ImageFiles.otherFiles(dir, false), List.of());
        } catch (IOException e) {
            return; // only a note
        }
        List<Path> others = listing.others();
        if (!others.isEmpty()) {
            err.println("note: " + others.size() + (others.size() == 1 ? " file in " : " files in ") + dir
                    + " left out, " + ImageFiles.notAnImage() + (others.size() == 1 ? ": " : "; the first: ")
                    + others.get(0).getFileName());
        }
        for (FolderWalk.NotFollowed link : listing.linksNotFollowed()) {
            err.println("note: " + link.link() + " not followed: " + link.reason());
        }
    }

    /**
     * Warns about defect masks that cover most of their image: a mask saved inverted (white background, black
     * defect) or whose background the reader takes for paint is measured as drawn, and its pixel metrics fall to
     * chance without a sign.
     *
     * @param items the annotated images a command measures
     * @param root  the folder their names are relative to
     * @param err   where the warning goes
     */
    static void warnAboutMasksCoveringMostOfTheirImage(List<dmdd.model.export.AnnotatedInspection.Item> items,
            Path root, PrintWriter err) {
        List<String> names = new java.util.ArrayList<>();
        for (dmdd.model.export.AnnotatedInspection.Item item : items) {
            dmdd.datasets.image.Mask mask = item.annotation().mask();
            if (mask != null && mask.area() > 0.5 * mask.width() * mask.height()) {
                names.add(item.name());
            }
        }
        if (!names.isEmpty()) {
            err.println("warning: the defect mask" + (names.size() == 1 ? " of " : "s of ") + names.size()
                    + (names.size() == 1 ? " image" : " images") + " in " + root
                    + (names.size() == 1 ? " covers" : " cover") + " more than half of the "
                    + "image (the first: " + names.get(0) + "); a mask is white (or any non-zero value) where the "
                    + "defect is, on black or transparent: is it inverted? Its pixel metrics count it as it is");
        }
    }

    /**
     * @param dir    a folder that must hold images directly
     * @param option the option or role that named it, for the message
     * @return the image files, sorted by name
     */
    static List<Path> images(Path dir, String option) {
        existingFolder(dir, option);
        List<Path> files;
        try {
            files = ImageFiles.list(dir);
        } catch (IOException e) {
            throw new CliException(option + " " + dir + ": cannot list the folder (" + e.getMessage() + ")");
        }
        if (files.isEmpty()) {
            int below;
            try {
                below = ImageFiles.listRecursively(dir).size();
            } catch (IOException e) {
                below = 0;
            }
            throw new CliException(option + " " + dir + ": no image files (" + String.join(", ",
                    ImageFiles.EXTENSIONS.stream().sorted().toList()) + ")" + (below == 0 ? ""
                    : " directly in it; its sub-folders hold " + below + " (name the folder that holds them)"));
        }
        return files;
    }

    /**
     * Checks the MVTec AD layout of one category for the split a command reads: {@code ROOT/NAME/train/good} with
     * images for training, or {@code ROOT/NAME/test/<type>} folders and a {@code ground_truth/<type>} folder for
     * every defect type for evaluation (a test-only copy of a category, without training images, is evaluated too).
     *
     * @param root     the dataset root (--data)
     * @param category the category name (--category)
     * @param withTest whether the command reads the test split (eval, export) instead of the training images
     * @return the category folder, absolute
     */
    static Path mvtecCategory(Path root, String given, boolean withTest) {
        Path r = existingFolder(root, "--data");
        String category = given.strip(); // an invisible space must not make an existing category "missing"
        if (category.length() > 1 && (category.endsWith("/") || category.endsWith("\\"))) {
            category = category.substring(0, category.length() - 1); // what a shell's completion of a folder gives
        }
        if (category.contains(",")) {
            throw new CliException("--category " + given + ": this command takes one category");
        }
        if (category.isBlank() || category.contains("/") || category.contains("\\") || category.equals("..")) {
            throw new CliException("--category '" + category + "': not a folder name");
        }
        Path dir = r.resolve(category);
        if (!Files.isDirectory(dir)) {
            if (Files.isDirectory(r.resolve("train").resolve(MvtecCategory.GOOD))
                    || (r.getFileName() != null && r.getFileName().toString().equals(category)
                    && (Files.isDirectory(r.resolve("test")) || Files.isDirectory(r.resolve("ground_truth"))))) {
                // --data named the category itself: its own folders read as categories were no help
                throw new CliException("--data " + r + " is itself a category (it holds train/, test/ or "
                        + "ground_truth/): give the folder above it, --data " + (r.getParent() == null ? "."
                        : r.getParent()) + " --category " + r.getFileName());
            }
            throw new CliException("--category " + category + ": no folder " + dir + " (categories there: "
                    + subfolders(r) + ")");
        }
        Path test = dir.resolve("test");
        if (!withTest || !Files.isDirectory(test)) {
            // the layout's own message first: it says when NAME is a folder of categories or a train/ folder
            try {
                MvtecCategory.open(dir);
            } catch (InvalidLayoutException e) {
                throw new CliException(e.getMessage());
            }
        }
        if (!withTest) {
            images(dir.resolve("train").resolve(MvtecCategory.GOOD), "empty training set:");
        } else {
            if (!Files.isDirectory(test)) {
                throw new CliException(dir + ": no test/ folder (expected test/good/ and test/<defect>/)");
            }
            List<String> types = subfolderList(test);
            if (types.isEmpty()) {
                throw new CliException(test + ": no test folders (expected test/good/ and test/<defect>/)");
            }
            Set<Path> linked = new HashSet<>();
            try {
                MvtecCategory.linksBetweenTypes(test).forEach(link -> linked.add(link.link()));
            } catch (IOException e) {
                // said where the folder is read
            }
            for (String type : types) {
                if (linked.contains(test.resolve(type))) {
                    continue; // another name of a folder checked under its own (named in a note when read)
                }
                // a folder not named like a defect type holds no defect images: eval names it in a warning instead
                // an empty one (a defect type without pictures yet) needs no masks
                if (!type.equals("good") && dmdd.datasets.annotation.DefectTypes.isValid(type)
                        && !Files.isDirectory(dir.resolve("ground_truth").resolve(type))
                        && holdsImages(test.resolve(type))) {
                    throw new CliException(dir + ": test/" + type + " has no ground_truth/" + type + "/ masks");
                }
            }
        }
        return dir;
    }

    private static boolean holdsImages(Path dir) {
        try {
            return !ImageFiles.list(dir).isEmpty();
        } catch (IOException e) {
            return true; // said where it is read
        }
    }

    private static String subfolders(Path dir) {
        List<String> names = subfolderList(dir);
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static List<String> subfolderList(Path dir) {
        try (var s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".") && !n.equals(dmdd.model.project.ProjectImporter.MAC_ARCHIVE_FOLDER)).sorted().toList();
        } catch (IOException e) {
            throw new CliException(dir + ": cannot list the folder (" + e.getMessage() + ")");
        }
    }
}

package dmdd.app.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * A one-line progress bar for the terminal: {@code [#######.....]  58%  580/1000  stage 2  loss 0.123
 * 14.2 img/s  ETA 1m05s}. On a terminal it redraws in place (carriage return); when the output is a file
 * or a pipe it prints a line at each tenth instead, so logs stay readable.
 */
final class ProgressBar {
    private static final int WIDTH = 24;
    private final PrintWriter out;
    private final boolean interactive;
    private final long minNanosBetweenDraws;
    private long lastDraw;
    private int lastTenth = -1;
    private int lastLength;

    /**
     * @param out         where to draw (stderr, so results on stdout stay clean)
     * @param interactive redraw in place (a terminal) rather than line by line
     */
    ProgressBar(PrintWriter out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
        this.minNanosBetweenDraws = interactive ? 200_000_000L : 0;
    }

    /** @return whether stderr looks like a terminal */
    static boolean terminalAttached() {
        return System.console() != null;
    }

    /**
     * @param done   completed units
     * @param total  all units
     * @param detail free text after the counts (stage, loss, speed)
     * @param eta    estimated time left, or null when unknown
     */
    void update(long done, long total, String detail, Duration eta) {
        double f = total <= 0 ? 1 : Math.min(1, (double) done / total);
        long now = System.nanoTime();
        int tenth = (int) Math.floor(f * 10);
        boolean last = done >= total;
        if (interactive) {
            if (!last && now - lastDraw < minNanosBetweenDraws) {
                return;
            }
        } else if (tenth == lastTenth && !last) {
            return;
        }
        lastDraw = now;
        lastTenth = tenth;
        int filled = (int) Math.round(f * WIDTH);
        String line = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%  %d/%d", Math.round(f * 100), done, total)
                + (detail == null || detail.isEmpty() ? "" : "  " + detail)
                + (eta == null || last ? "" : "  ETA " + format(eta));
        if (interactive) {
            int pad = Math.max(0, lastLength - line.length());
            out.print("\r" + line + " ".repeat(pad));
            lastLength = line.length();
            if (last) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    /**
     * @param d a duration
     * @return e.g. {@code 1h02m}, {@code 3m05s}, {@code 42s}
     */
    static String format(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}

package poreseg.cli;

import java.io.PrintStream;
import java.util.Locale;
import poreseg.util.ProgressListener;

/** A progress bar with ETA on stderr, drawn only when stderr is a terminal (and not under --json). */
final class ConsoleProgress implements ProgressListener {
    private final String label;
    private final PrintStream out;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long lastDraw;

    ConsoleProgress(String label) {
        this(label, System.console() != null && System.getenv("CI") == null);
    }

    ConsoleProgress(String label, boolean enabled) {
        this.label = label;
        this.out = System.err;
        this.enabled = enabled;
    }

    @Override
    public synchronized void progress(long done, long total) {
        if (!enabled || total <= 0) {
            return;
        }
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int width = 30;
        int filled = (int) (width * done / total);
        double elapsed = (now - start) / 1e9;
        double eta = done > 0 ? elapsed * (total - done) / done : Double.NaN;
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        out.printf(Locale.ROOT, "\r%s [%s] %d/%d  %s elapsed, ETA %s ", label, bar, done, total, time(elapsed), time(eta));
        if (done >= total) {
            out.print("\r" + " ".repeat(label.length() + width + 60) + "\r");
        }
        out.flush();
    }

    static String time(double s) {
        if (Double.isNaN(s)) {
            return "?";
        }
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }
}

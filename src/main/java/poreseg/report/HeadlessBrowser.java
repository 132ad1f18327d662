package poreseg.report;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Runs headless Chromium (or Chrome) on a local HTML file: takes a screenshot or dumps the DOM after
 * the page has loaded. Each run uses a fresh, temporary profile, no sandbox (so it works as root and
 * in containers), no GPU, and no network (every host name fails to resolve). Found through {@code $PORESEG_CHROMIUM} or
 * {@code chromium}, {@code chromium-browser}, {@code google-chrome}, {@code google-chrome-stable} on the PATH.
 */
public final class HeadlessBrowser {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    private final Path executable;
    private final Duration timeout;

    public HeadlessBrowser(Path executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /** The browser found on this machine, if any. */
    public static Optional<HeadlessBrowser> find() {
        return findExecutable().map(p -> new HeadlessBrowser(p, Duration.ofSeconds(90)));
    }

    /** The browser executable: $PORESEG_CHROMIUM, else the first of the usual names on the PATH. */
    public static Optional<Path> findExecutable() {
        String env = System.getenv("PORESEG_CHROMIUM");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String name : NAMES) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    public Path executable() {
        return executable;
    }

    /** Renders {@code html} in a window of the given size and returns the screenshot. */
    public BufferedImage screenshot(Path html, int width, int height) throws IOException {
        Path tmp = Files.createTempDirectory("poreseg-browser");
        try {
            Path png = tmp.resolve("screenshot.png");
            run(tmp, List.of("--screenshot=" + png, "--window-size=" + width + "," + height, "--hide-scrollbars",
                    url(html)), null);
            if (!Files.isRegularFile(png) || Files.size(png) == 0) {
                throw new IOException(executable + " wrote no screenshot; its log: " + tail(tmp.resolve("browser.log")));
            }
            BufferedImage img = ImageIO.read(png.toFile());
            if (img == null) {
                throw new IOException(executable + " wrote an unreadable screenshot");
            }
            return img;
        } finally {
            deleteTree(tmp);
        }
    }

    /** The DOM of {@code html} after its load event, as serialised by the browser. */
    public String dumpDom(Path html) throws IOException {
        Path tmp = Files.createTempDirectory("poreseg-browser");
        try {
            Path out = tmp.resolve("dom.html");
            run(tmp, List.of("--dump-dom", "--virtual-time-budget=10000", url(html)), out);
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            deleteTree(tmp);
        }
    }

    private static String url(Path html) {
        return html.toAbsolutePath().normalize().toUri().toString();
    }

    private void run(Path tmp, List<String> args, Path stdout) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND", // no network: the page must render from the file alone
                "--user-data-dir=" + tmp.resolve("profile")));
        cmd.addAll(args);
        Path log = tmp.resolve("browser.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile())
                .redirectOutput(stdout == null ? ProcessBuilder.Redirect.appendTo(log.toFile()) : ProcessBuilder.Redirect.to(stdout.toFile()));
        pb.environment().put("HOME", tmp.toString()); // keep the user's profile and caches untouched
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException(executable + " did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + executable, e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(executable + " failed (exit " + p.exitValue() + "): " + tail(log));
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary folder left behind is harmless
        }
    }
}

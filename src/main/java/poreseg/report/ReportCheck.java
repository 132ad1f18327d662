package poreseg.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that a report is self-contained and renders. Static checks ({@link #checkHtml}): tags are
 * balanced, there are no scripts and no network references (http, https or protocol-relative URLs in
 * src, href, CSS url() or @import), every image is a data URI that decodes to a picture. Browser
 * checks ({@link #checkInBrowser}, with headless Chromium): in a probe copy of the page a small
 * script lists the images the browser could not decode after the load event; a screenshot of the page
 * must not be blank (nearly all one colour).
 *
 * <p>Command line (used by scripts/check-report.sh):
 * {@code java -cp poreseg.jar:lib/* poreseg.report.ReportCheck REPORT.html [--screenshot OUT.png] [--require-browser]};
 * exit 0 when it passes (or Chromium is absent and not required: then it says it skipped), 1 when it fails.
 */
public final class ReportCheck {
    private static final Set<String> VOID = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input", "link",
            "meta", "source", "track", "wbr");
    private static final Pattern TAG = Pattern.compile("<(/?)([A-Za-z][A-Za-z0-9-]*)([^>]*)>");
    private static final Pattern NETWORK = Pattern.compile(
            "(?i)(?:\\b(?:src|href|srcset|action|poster|data|xlink:href|background)\\s*=\\s*[\"']?\\s*(?:https?:)?//"
                    + "|url\\(\\s*[\"']?\\s*(?:https?:)?//|@import)");
    private static final Pattern IMG_SRC = Pattern.compile("(?i)<img\\b[^>]*?\\bsrc\\s*=\\s*\"([^\"]*)\"");
    private static final String PROBE_ATTR = "data-poreseg-check";
    /**
     * Run in the probe copy during the load event, synchronously (so the result is in the DOM before
     * the browser dumps it): an image counts as broken when it did not load, has no size, or draws
     * nothing (fully transparent) onto a canvas: drawImage decodes synchronously, and a PNG with a valid
     * header but corrupt data loads with a size and only fails there. Report images are opaque.
     */
    private static final String PROBE = "<script>window.addEventListener('load', function () {"
            + " var imgs = document.images, bad = [], c = document.createElement('canvas');"
            + " c.width = 32; c.height = 32; var ctx = c.getContext('2d');"
            + " for (var i = 0; i < imgs.length; i++) {"
            + "   var im = imgs[i], ok = im.complete && im.naturalWidth > 0;"
            + "   if (ok) { try { ctx.clearRect(0, 0, 32, 32); ctx.drawImage(im, 0, 0, 32, 32);"
            + "     var d = ctx.getImageData(0, 0, 32, 32).data; ok = false;"
            + "     for (var k = 3; k < d.length; k += 4) { if (d[k] > 0) { ok = true; break; } }"
            + "   } catch (e) { ok = false; } }"
            + "   if (!ok) { bad.push(i + 1); }"
            + " }"
            + " document.documentElement.setAttribute('" + PROBE_ATTR + "', 'images=' + imgs.length + ';broken=' + bad.join(','));"
            + " });</script>";

    private ReportCheck() {
    }

    /** Outcome of a check: the number of images seen and the problems found (empty when it passes). */
    public record Result(int images, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Static checks of the HTML text; see the class comment. */
    public static Result checkHtml(String html) {
        List<String> problems = new ArrayList<>();
        problems.addAll(tagBalance(html));
        Matcher net = NETWORK.matcher(html);
        while (net.find()) {
            int s = Math.max(0, net.start() - 20);
            problems.add("network reference: ..." + html.substring(s, Math.min(html.length(), net.end() + 40)).replace('\n', ' ') + "...");
            if (problems.size() > 20) {
                break;
            }
        }
        if (html.toLowerCase(Locale.ROOT).contains("<script")) {
            problems.add("the report contains a script (reports must be static)");
        }
        Matcher m = IMG_SRC.matcher(html);
        int images = 0;
        while (m.find()) {
            images++;
            String src = m.group(1);
            if (!src.startsWith("data:")) {
                problems.add("image " + images + " is not embedded (src=\"" + abbreviate(src) + "\")");
                continue;
            }
            try {
                BufferedImage img = Figure.decodeDataUri(src);
                if (img.getWidth() < 2 || img.getHeight() < 2) {
                    problems.add("image " + images + " is only " + img.getWidth() + "x" + img.getHeight() + " pixels");
                }
            } catch (IOException e) {
                problems.add("image " + images + " does not decode: " + e.getMessage());
            }
        }
        return new Result(images, List.copyOf(problems));
    }

    /** Problems with the nesting of tags: unclosed, stray or crossed tags. Raw text of style/script is skipped. */
    static List<String> tagBalance(String html) {
        List<String> problems = new ArrayList<>();
        Deque<String> open = new ArrayDeque<>();
        String text = html.replaceAll("(?s)<!--.*?-->", "").replaceAll("(?is)<!DOCTYPE[^>]*>", "")
                .replaceAll("(?is)(<style\\b[^>]*>).*?(</style>)", "$1$2").replaceAll("(?is)(<script\\b[^>]*>).*?(</script>)", "$1$2");
        Matcher m = TAG.matcher(text);
        while (m.find() && problems.size() < 10) {
            String name = m.group(2).toLowerCase(Locale.ROOT);
            boolean closing = !m.group(1).isEmpty();
            boolean selfClosing = m.group(3).endsWith("/");
            if (VOID.contains(name)) {
                if (closing) {
                    problems.add("closing tag for void element </" + name + ">");
                }
                continue;
            }
            if (!closing) {
                if (!selfClosing) {
                    open.push(name);
                }
            } else if (open.isEmpty()) {
                problems.add("stray </" + name + ">");
            } else if (!open.peek().equals(name)) {
                problems.add("</" + name + "> closes <" + open.peek() + ">");
                open.pop();
            } else {
                open.pop();
            }
        }
        if (!open.isEmpty() && problems.isEmpty()) {
            problems.add("unclosed tags: " + String.join(", ", open));
        }
        return problems;
    }

    /** A blank page is nearly all one colour: fewer than 0.5 % of pixels differ from the most common one. */
    public static List<String> checkScreenshot(BufferedImage shot) {
        Map<Integer, Integer> counts = new HashMap<>();
        int w = shot.getWidth();
        int h = shot.getHeight();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                counts.merge(shot.getRGB(x, y) & 0xFFFFFF, 1, Integer::sum);
            }
        }
        int top = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        double other = 1 - (double) top / ((double) w * h);
        List<String> problems = new ArrayList<>();
        if (other < 0.005) {
            problems.add(String.format(Locale.ROOT, "blank page: only %.3f %% of the screenshot differs from the background (%d colours)",
                    100 * other, counts.size()));
        }
        return problems;
    }

    /**
     * Static checks, then the browser checks: broken images as the browser sees them, and a blank-page
     * check of a screenshot (saved to {@code screenshotOut} when not null).
     */
    public static Result checkInBrowser(HeadlessBrowser browser, Path html, Path screenshotOut) throws IOException {
        String text = Files.readString(html, StandardCharsets.UTF_8);
        Result stat = checkHtml(text);
        List<String> problems = new ArrayList<>(stat.problems());
        // 1. images as decoded by the browser, in a probe copy with a one-line script
        Path dir = Files.createTempDirectory("poreseg-check");
        try {
            Path probe = dir.resolve("probe.html");
            int end = text.toLowerCase(Locale.ROOT).lastIndexOf("</body>");
            String probed = end < 0 ? text + PROBE : text.substring(0, end) + PROBE + text.substring(end);
            Files.writeString(probe, probed, StandardCharsets.UTF_8);
            String dom = browser.dumpDom(probe);
            Matcher m = Pattern.compile(PROBE_ATTR + "=\"images=(\\d+);broken=([0-9,]*)\"").matcher(dom);
            if (!m.find()) {
                problems.add("the browser did not finish loading the page (no load event seen)");
            } else {
                int seen = Integer.parseInt(m.group(1));
                if (!m.group(2).isEmpty()) {
                    problems.add("the browser could not display image(s) " + m.group(2).replace(",", ", ") + " of " + seen);
                }
                if (seen != stat.images()) {
                    problems.add("the browser saw " + seen + " images, the HTML has " + stat.images());
                }
            }
        } finally {
            Files.deleteIfExists(dir.resolve("probe.html"));
            Files.deleteIfExists(dir);
        }
        // 2. the page as rendered
        BufferedImage shot = browser.screenshot(html, 1280, 2400);
        problems.addAll(checkScreenshot(shot));
        if (screenshotOut != null) {
            Figure.writePng(shot, screenshotOut);
        }
        return new Result(stat.images(), List.copyOf(problems));
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** Command-line entry point; see the class comment. */
    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path html = null;
        Path shot = null;
        boolean require = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--screenshot" -> {
                    if (i + 1 >= args.length) {
                        usage();
                    }
                    shot = Path.of(args[++i]);
                }
                case "--require-browser" -> require = true;
                default -> {
                    if (args[i].startsWith("-") || html != null) {
                        usage();
                    }
                    html = Path.of(args[i]);
                }
            }
        }
        if (html == null) {
            usage();
        }
        if (!Files.isRegularFile(html)) {
            System.err.println("check-report: " + html + ": no such file");
            System.exit(1);
        }
        Optional<HeadlessBrowser> browser = HeadlessBrowser.find();
        Result r;
        if (browser.isEmpty()) {
            r = checkHtml(Files.readString(html, StandardCharsets.UTF_8));
            String msg = "Chromium not found (install the Debian package 'chromium' or set PORESEG_CHROMIUM)";
            if (require) {
                System.err.println("check-report: FAILED: " + msg);
                System.exit(1);
            }
            System.out.println("check-report: SKIPPED the browser check: " + msg + "; static checks only.");
        } else {
            try {
                r = checkInBrowser(browser.get(), html, shot);
            } catch (IOException e) {
                System.err.println("check-report: FAILED: the browser could not run: " + e.getMessage());
                System.exit(1);
                return;
            }
        }
        if (r.ok()) {
            System.out.println("check-report: OK: " + html + " (" + r.images() + " embedded images"
                    + (browser.isPresent() ? ", rendered by " + browser.get().executable() : "")
                    + (shot != null && browser.isPresent() ? ", screenshot " + shot : "") + ")");
            System.exit(0);
        }
        System.err.println("check-report: FAILED: " + html);
        r.problems().forEach(p -> System.err.println("  - " + p));
        System.exit(1);
    }

    private static void usage() {
        System.err.println("usage: ReportCheck REPORT.html [--screenshot OUT.png] [--require-browser]");
        System.exit(2);
    }
}

package poreseg.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens reports in headless Chromium. Skipped, with a message, where no Chromium is installed
 * (Debian: apt-get install chromium; or set PORESEG_CHROMIUM to the executable).
 */
class BrowserCheckTest {
    static HeadlessBrowser browser;

    @TempDir
    Path dir;

    @BeforeAll
    static void findBrowser() {
        Optional<HeadlessBrowser> b = HeadlessBrowser.find();
        Assumptions.assumeTrue(b.isPresent(),
                "Chromium not installed: skipping the headless-browser report check (apt-get install chromium, or set PORESEG_CHROMIUM)");
        browser = b.get();
    }

    @Test
    void exampleReportRendersWithAllImages() throws Exception {
        ExampleReport.build().write(dir);
        Path shot = dir.resolve("shot.png");
        ReportCheck.Result r = ReportCheck.checkInBrowser(browser, dir.resolve("report.html"), shot);
        assertTrue(r.ok(), r.problems().toString());
        assertEquals(3, r.images());
        assertTrue(Files.size(shot) > 10_000);
    }

    @Test
    void brokenImagesAreCaughtByTheBrowser() throws Exception {
        BufferedImage pic = ExampleData.montage();
        byte[] png = Figure.png(pic);
        byte[] truncated = java.util.Arrays.copyOf(png, png.length / 3); // a file cut short
        byte[] garbage = java.util.Arrays.copyOf(png, 64); // header, then nonsense
        for (int i = 40; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 37);
        }
        String good = Figure.dataUri(png);
        Path html = dir.resolve("broken.html");
        Files.writeString(html, "<!DOCTYPE html><html><head><title>t</title></head><body><h1>Broken</h1>"
                + "<img src=\"" + good + "\" alt=\"good\"/>"
                + "<img src=\"" + Figure.dataUri(truncated) + "\" alt=\"truncated\"/>"
                + "<img src=\"" + Figure.dataUri(garbage) + "\" alt=\"garbage\"/>"
                + "<img src=\"data:image/png;base64,AAAA\" alt=\"not a png\"/></body></html>");
        ReportCheck.Result r = ReportCheck.checkInBrowser(browser, html, null);
        assertFalse(r.ok());
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("the browser could not display image(s) 3, 4 of 4")
                || p.startsWith("the browser could not display image(s) 2, 3, 4 of 4")), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("image 2 does not decode")), r.problems().toString());
    }

    @Test
    void blankPageIsCaught() throws Exception {
        Path html = dir.resolve("blank.html");
        Files.writeString(html, "<!DOCTYPE html><html><head><title>t</title></head><body></body></html>");
        ReportCheck.Result r = ReportCheck.checkInBrowser(browser, html, null);
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("blank page")), r.problems().toString());
        BufferedImage shot = browser.screenshot(html, 400, 300);
        assertEquals(400, shot.getWidth());
    }
}

package poreseg.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.WheelInput;
import org.openqa.selenium.support.ui.WebDriverWait;
import poreseg.cli.Main;
import poreseg.io.Volume;
import poreseg.io.Volumes;

/**
 * {@code poreseg view} end to end in headless Chromium driven by Selenium: the system's chromium and
 * chromedriver (Debian packages chromium, chromium-driver), never a downloaded one. Skipped when
 * they are not installed.
 */
class ViewBrowserTest {
    static final Path CHROMIUM = Path.of(System.getProperty("poreseg.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("poreseg.chromedriver", "/usr/bin/chromedriver"));
    static final int SIZE = 64;
    static final int SLICES = 6;

    @TempDir
    static Path tmp;

    static ViewSession session;
    static ViewServer server;
    static ChromeDriver driver;
    /** Kept so the setting is not collected: Selenium warns that it has no DevTools for this Chromium version (not used). */
    static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "skipped: no " + CHROMIUM + " or " + DRIVER + " (apt-get install chromium chromium-driver)");
        PrintStream out = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            assertEquals(0, Main.execute("synth", tmp.resolve("s").toString(), "--size", "" + SIZE, "--slices", "" + SLICES, "--seed", "2"));
        } finally {
            System.setOut(out);
        }
        Path image = tmp.resolve("s/image.tif");
        Path truth = tmp.resolve("s/truth.tif");
        ViewStacks stacks = ViewStacks.open(image, truth, null, null, truth);
        session = new ViewSession(stacks, LabelStore.open(tmp.resolve("labels.tif"), stacks.info()), null, tmp.resolve("tuned"),
                FineTune.Settings.defaults());
        server = ViewServer.start(session, 0);

        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1200,800",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-profile"));
        driver = new ChromeDriver(service, o);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (session != null) {
            session.close();
        }
    }

    WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    void waitLoaded(int z) {
        waiting().withMessage(() -> "slice " + z + " never loaded; status: " + driver.findElement(By.id("status")).getText())
                .until(d -> String.valueOf(z).equals(d.findElement(By.tagName("body")).getAttribute("data-loaded")));
    }

    @Test
    void scrollPaintSaveAndReadTheLabelsBack() throws Exception {
        String base = "http://127.0.0.1:" + server.port() + "/";
        // the token rule: a plain client without it is refused, also for the API
        HttpClient http = HttpClient.newHttpClient();
        for (String p : List.of("", "api/info", "api/slice/0/image.png")) {
            assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(base + p)).build(), HttpResponse.BodyHandlers.discarding()).statusCode(), p);
        }
        driver.get(base);
        assertTrue(driver.findElement(By.tagName("body")).getText().contains("forbidden"), "page without token is refused");

        driver.get(server.url());
        waitLoaded(0);
        assertTrue(driver.findElement(By.id("name")).getText().contains(SIZE + " x " + SIZE + " x " + SLICES));
        WebElement canvas = driver.findElement(By.id("view"));
        // mouse wheel: next slice; arrow key: the one after
        new Actions(driver).scrollFromOrigin(WheelInput.ScrollOrigin.fromElement(canvas), 0, 120).perform();
        waitLoaded(1);
        new Actions(driver).sendKeys(Keys.ARROW_RIGHT).perform();
        waitLoaded(2);
        assertEquals("2", driver.findElement(By.id("slice")).getAttribute("value"));

        // a pore stroke across row 32, from x 12 to x 50, with a 5-pixel brush (after the cookie, no token in the URL needed)
        JavascriptExecutor js = driver;
        js.executeScript("window.poreseg.setBrush(5)");
        driver.findElement(By.id("tool-pore")).click();
        @SuppressWarnings("unchecked")
        Map<String, Number> a = (Map<String, Number>) js.executeScript("return window.poreseg.imageToScreen(12, 32)");
        @SuppressWarnings("unchecked")
        Map<String, Number> b = (Map<String, Number>) js.executeScript("return window.poreseg.imageToScreen(50, 32)");
        new Actions(driver).moveToLocation(a.get("x").intValue(), a.get("y").intValue()).clickAndHold()
                .moveToLocation((a.get("x").intValue() + b.get("x").intValue()) / 2, a.get("y").intValue())
                .moveToLocation(b.get("x").intValue(), b.get("y").intValue()).release().perform();
        driver.findElement(By.id("save")).click();
        waiting().withMessage(() -> "never saved: " + driver.findElement(By.id("status")).getText())
                .until(d -> d.findElement(By.id("saveState")).getText().startsWith("saved (1 labelled slice"));

        Path labels = tmp.resolve("labels.tif");
        assertTrue(Files.isRegularFile(labels));
        try (Volume v = Volumes.open(labels)) {
            assertEquals(SIZE, v.info().width());
            assertEquals(SLICES, v.info().depth());
            for (int z = 0; z < SLICES; z++) {
                float[] s = v.slice(z);
                int pore = 0;
                for (int i = 0; i < s.length; i++) {
                    int x = i % SIZE;
                    int y = i / SIZE;
                    if (z != 2) {
                        assertEquals(128f, s[i], "slice " + z + " untouched");
                        continue;
                    }
                    assertTrue(s[i] == 128 || s[i] == 255, "only pore was painted");
                    if (s[i] == 255) {
                        pore++;
                        assertTrue(Math.abs(y - 32) <= 3 && x >= 9 && x <= 53, "pore pixel " + x + "," + y + " lies on the stroke");
                    }
                }
                if (z == 2) {
                    for (int x = 13; x <= 49; x++) {
                        assertEquals(255f, s[32 * SIZE + x], "stroke pixel " + x + ",32");
                    }
                    assertTrue(pore >= 38 * 3, "a 5-pixel wide stroke, got " + pore + " pixels");
                }
            }
        }
        // going away and back shows the saved labels again
        new Actions(driver).sendKeys(Keys.ARROW_LEFT).perform();
        waitLoaded(1);
        new Actions(driver).sendKeys(Keys.ARROW_RIGHT).perform();
        waitLoaded(2);
        Object v = js.executeScript("return window.poreseg.state.labels[32 * " + SIZE + " + 30]");
        assertEquals(255L, ((Number) v).longValue());
        // the box tool: a rectangle labelled as the prediction shown says (here the mask layer, which is the truth)
        driver.findElement(By.id("tool-box")).click();
        @SuppressWarnings("unchecked")
        Map<String, Number> c = (Map<String, Number>) js.executeScript("return window.poreseg.imageToScreen(20.5, 40.5)");
        @SuppressWarnings("unchecked")
        Map<String, Number> e = (Map<String, Number>) js.executeScript("return window.poreseg.imageToScreen(59.5, 59.5)");
        new Actions(driver).moveToLocation(c.get("x").intValue(), c.get("y").intValue()).clickAndHold()
                .moveToLocation((c.get("x").intValue() + e.get("x").intValue()) / 2, (c.get("y").intValue() + e.get("y").intValue()) / 2)
                .moveToLocation(e.get("x").intValue(), e.get("y").intValue()).release().perform();
        assertTrue(driver.findElement(By.id("status")).getText().contains("labelled from the mask"), driver.findElement(By.id("status")).getText());
        driver.findElement(By.id("save")).click();
        waiting().withMessage(() -> "the box never reached the label file").until(d -> {
            try (Volume lv = Volumes.open(labels); Volume tv = Volumes.open(tmp.resolve("s/truth.tif"))) {
                float[] l = lv.slice(2);
                float[] t = tv.slice(2);
                boolean solid = false;
                for (int y = 40; y <= 59; y++) {
                    for (int x = 20; x <= 59; x++) {
                        int i = y * SIZE + x;
                        if (l[i] != (t[i] > 127 ? 255f : 0f)) {
                            return false;
                        }
                        solid |= l[i] == 0f;
                    }
                }
                assertTrue(solid, "the box holds solid");
                assertEquals(128f, l[10 * SIZE + 10], "outside the box and the stroke: unlabelled");
                assertEquals(255f, l[32 * SIZE + 30], "the stroke is kept");
                return true;
            } catch (java.io.IOException | poreseg.io.DataException ex) {
                // the save renames a new file over the old one: between opening (the old file's directory)
                // and reading a slice (by path, the new file) the reader sees a damaged file; read again
                return false;
            }
        });
        // the porosity plot: a click at its right end goes to the last slice
        WebElement plot = driver.findElement(By.id("plot"));
        new Actions(driver).moveToElement(plot, plot.getSize().getWidth() / 2 - 13, 0).click().perform();
        waitLoaded(SLICES - 1);
        File shot = driver.getScreenshotAs(org.openqa.selenium.OutputType.FILE);
        assertTrue(shot.length() > 1000);
    }

    /**
     * With the bundled model, turning its overlay on runs it on the shown slice (choosing the stack's
     * scale first, as segment does) and the status line names that scale, the one segment reports.
     */
    @Test
    void theModelOverlaySaysTheScaleTheStackRunsAt() throws Exception {
        ViewStacks stacks = ViewStacks.open(tmp.resolve("s/image.tif"), null, null, null, null);
        try (ViewSession withModel = new ViewSession(stacks, LabelStore.open(tmp.resolve("labels-model.tif"), stacks.info()), "default",
                tmp.resolve("tuned-model"), FineTune.Settings.defaults()); ViewServer s = ViewServer.start(withModel, 0)) {
            driver.get(s.url());
            waitLoaded(0);
            driver.findElement(By.id("layer-model")).click();
            waiting().withMessage(() -> "no scale in the status: " + driver.findElement(By.id("status")).getText())
                    .until(d -> d.findElement(By.id("status")).getText().contains("model at scale"));
            String status = driver.findElement(By.id("status")).getText();
            assertTrue(status.endsWith("model at scale " + withModel.scaleOf(ViewSession.Predicted.MODEL)), status);
            // the same choice as segment's for the stack
            try (poreseg.net.Network net = poreseg.net.ModelStore.load("default"); Volume v = Volumes.open(tmp.resolve("s/image.tif"))) {
                int f = poreseg.net.Segmenter.of(net, 8).chooseScale(v).factor();
                assertTrue(status.contains("model at scale " + poreseg.net.Segmenter.scaleLabel(f)), status + " against " + f);
            }
        }
    }
}

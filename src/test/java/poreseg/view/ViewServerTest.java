package poreseg.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.cli.Main;
import poreseg.io.DataException;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.io.Volumes;

/** The view server without a browser: the token rule, status codes, PNG slices, atomic label saves. */
class ViewServerTest {
    static final int SIZE = 48;
    static final int SLICES = 5;

    @TempDir
    static Path data;

    @TempDir
    Path tmp;

    ViewSession session;
    ViewServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void synth() {
        PrintStream out = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            assertEquals(0, Main.execute("synth", data.resolve("s").toString(), "--size", "" + SIZE, "--slices", "" + SLICES, "--seed", "4"));
        } finally {
            System.setOut(out);
        }
    }

    static Path image() {
        return data.resolve("s/image.tif");
    }

    static Path truth() {
        return data.resolve("s/truth.tif");
    }

    @BeforeEach
    void start() throws Exception {
        ViewStacks stacks = ViewStacks.open(image(), truth(), null, null, truth());
        session = new ViewSession(stacks, LabelStore.open(tmp.resolve("labels.tif"), stacks.info()), null, tmp.resolve("tuned"),
                FineTune.Settings.defaults());
        server = ViewServer.start(session, 0);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        session.close();
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    String withToken(String path) {
        return path + (path.contains("?") ? "&" : "?") + "token=" + server.token();
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + withToken(path)))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void everyRequestWithoutTheTokenIsForbidden() throws Exception {
        assertTrue(server.url().matches("http://127\\.0\\.0\\.1:\\d+/\\?token=[A-Za-z0-9_-]{32}"), server.url());
        for (String p : List.of("/", "/app.js", "/api/info", "/api/slice/0/image.png", "/api/porosity", "/api/events", "/nothing")) {
            assertEquals(403, get(p).statusCode(), p);
            assertEquals(403, get(p + "?token=wrong").statusCode(), p);
        }
        HttpResponse<byte[]> put = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/labels/0"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[SIZE * SIZE])).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(403, put.statusCode());
        HttpResponse<byte[]> save = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/save"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(403, save.statusCode());
        assertFalse(Files.exists(tmp.resolve("labels.tif")));

        HttpResponse<byte[]> page = get(withToken("/"));
        assertEquals(200, page.statusCode());
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        HttpResponse<byte[]> withCookie = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/info"))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, withCookie.statusCode());
        assertTrue(text(withCookie).contains("\"slices\":" + SLICES), text(withCookie));
        HttpResponse<byte[]> badCookie = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/info"))
                .header("Cookie", "poreseg_token=nope").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(403, badCookie.statusCode());
    }

    @Test
    void bindsToLoopbackOnly() throws Exception {
        for (var nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (var addr : java.util.Collections.list(nif.getInetAddresses())) {
                if (addr.isLoopbackAddress()) {
                    continue;
                }
                try (var s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress(addr, server.port()), 300);
                    throw new AssertionError("the viewer is reachable on " + addr);
                } catch (java.io.IOException refused) {
                    // not listening there: good
                }
            }
        }
    }

    @Test
    void slicesArePngsOfTheStackSize() throws Exception {
        for (String layer : List.of("image", "mask", "truth", "labels")) {
            HttpResponse<byte[]> r = get(withToken("/api/slice/3/" + layer + ".png"));
            assertEquals(200, r.statusCode(), layer + ": " + text(r));
            assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
            assertNotNull(img, layer);
            assertEquals(SIZE, img.getWidth());
            assertEquals(SIZE, img.getHeight());
        }
        HttpResponse<byte[]> img = get(withToken("/api/slice/3/image.png"));
        String[] c = img.headers().firstValue("X-Contrast").orElseThrow().split(",");
        assertTrue(Double.parseDouble(c[1]) > Double.parseDouble(c[0]));
        // the truth mask's PNG has exactly its pore pixels
        try (Volume t = Volumes.open(truth())) {
            float[] s = t.slice(3);
            BufferedImage m = ImageIO.read(new ByteArrayInputStream(get(withToken("/api/slice/3/truth.png")).body()));
            for (int i = 0; i < s.length; i++) {
                assertEquals(s[i] > 0 ? 255 : 0, m.getRaster().getSample(i % SIZE, i / SIZE, 0), "pixel " + i);
            }
        }
        BufferedImage manual = ImageIO.read(new ByteArrayInputStream(get(withToken("/api/slice/0/image.png?lo=0&hi=1")).body()));
        assertEquals(SIZE, manual.getWidth());
    }

    @Test
    void outOfRangeIs404AndMalformedIs400WithoutStackTrace() throws Exception {
        expect(404, get(withToken("/api/slice/" + SLICES + "/image.png")));
        expect(404, get(withToken("/api/slice/-1/image.png")));
        expect(404, get(withToken("/api/slice/" + SLICES + "/mask.png")));
        expect(400, get(withToken("/api/slice/99999999999/image.png")));
        expect(404, get(withToken("/api/slice/0/nothing.png")));
        expect(404, get(withToken("/api/slice/0/prob.png")));   // no probability stack given
        expect(404, get(withToken("/api/slice/0/model.png")));  // no model
        expect(404, get(withToken("/api/slice/0/tuned.png")));  // nothing fine-tuned
        expect(404, get(withToken("/api/nothing")));
        expect(404, get(withToken("/etc/passwd")));
        expect(404, get(withToken("/../../etc/passwd")));
        expect(400, get(withToken("/api/slice/abc/image.png")));
        expect(400, get(withToken("/api/slice/0/image.png?lo=x&hi=3")));
        expect(400, get(withToken("/api/slice/0/image.png?lo=5&hi=3")));
        expect(400, get(withToken("/api/slice/0/image.png?auto=70")));
        expect(400, get(withToken("/api/slice/0/image.png?lo=%25zz")));
        expect(400, send("PUT", "/api/labels/0", new byte[10]));
        expect(400, send("PUT", "/api/labels/x", new byte[SIZE * SIZE]));
        byte[] bad = new byte[SIZE * SIZE];
        bad[5] = 7;
        expect(400, send("PUT", "/api/labels/0", bad));
        expect(404, send("PUT", "/api/labels/" + SLICES, new byte[SIZE * SIZE]));
        expect(405, send("POST", "/api/info", new byte[0]));
        expect(400, send("POST", "/api/train?slice=0", new byte[0])); // no model to fine-tune
        expect(400, send("POST", "/api/train?slice=0&epochs=zero", new byte[0]));
    }

    private static void expect(int status, HttpResponse<byte[]> r) {
        assertNotNull(r);
        String body = text(r);
        assertEquals(status, r.statusCode(), r.uri() + ": " + body);
        assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains("poreseg.view."), body);
    }

    @Test
    void labelsAreSavedAsSparseTiff() throws Exception {
        byte[] l = new byte[SIZE * SIZE];
        Arrays.fill(l, (byte) 128);
        for (int x = 5; x < 20; x++) {
            l[10 * SIZE + x] = (byte) 255;
            l[30 * SIZE + x] = 0;
        }
        assertEquals(204, send("PUT", "/api/labels/2", l).statusCode());
        HttpResponse<byte[]> s = send("POST", "/api/save", new byte[0]);
        assertEquals(200, s.statusCode(), text(s));
        assertTrue(text(s).contains("\"labelled_slices\":1"), text(s));
        try (Volume v = Volumes.open(tmp.resolve("labels.tif")); Volume img = Volumes.open(image())) {
            StackInfo i = v.info();
            assertTrue(i.sameShape(img.info()), i.shape());
            assertEquals(poreseg.io.PixelType.U8, i.type());
            assertEquals(img.info().calibration(), i.calibration());
            for (int z = 0; z < SLICES; z++) {
                float[] got = v.slice(z);
                for (int k = 0; k < got.length; k++) {
                    int want = z == 2 ? l[k] & 0xff : 128;
                    assertEquals(want, (int) got[k], "slice " + z + " pixel " + k);
                }
            }
        }
        // the PNG of the labels shows the same values
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(get(withToken("/api/slice/2/labels.png")).body()));
        assertEquals(255, png.getRaster().getSample(7, 10, 0));
        assertEquals(0, png.getRaster().getSample(7, 30, 0));
        assertEquals(128, png.getRaster().getSample(7, 20, 0));
    }

    @Test
    void concurrentSavesNeverCorruptTheFile() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> f = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int z = t % SLICES;
                int value = t % 2 == 0 ? 255 : 0;
                f.add(pool.submit(() -> {
                    byte[] l = new byte[SIZE * SIZE];
                    Arrays.fill(l, (byte) value);
                    int ok = 0;
                    for (int k = 0; k < 5; k++) {
                        ok += send("PUT", "/api/labels/" + z, l).statusCode() == 204 ? 1 : 0;
                        ok += send("POST", "/api/save", new byte[0]).statusCode() == 200 ? 1 : 0;
                    }
                    return ok;
                }));
            }
            for (Future<Integer> x : f) {
                assertEquals(10, x.get());
            }
        } finally {
            pool.shutdown();
        }
        try (Volume v = Volumes.open(tmp.resolve("labels.tif"))) {
            assertEquals(SLICES, v.info().depth());
            for (int z = 0; z < SLICES; z++) {
                float[] s = v.slice(z);
                float first = s[0];
                for (float x : s) {
                    assertEquals(first, x, "slice " + z + " is one of the whole slices written");
                }
            }
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("labels.tif"), s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("tuned")).sorted().toList(),
                    "no temporary file left");
        }
    }

    @Test
    void existingLabelsAreLoadedAndCheckedAndMismatchesRejected() throws Exception {
        byte[] l = new byte[SIZE * SIZE];
        Arrays.fill(l, (byte) 128);
        l[0] = (byte) 255;
        session.labels().set(1, l);
        session.labels().save();
        StackInfo info = session.info();
        try (LabelStore again = LabelStore.open(tmp.resolve("labels.tif"), info)) {
            assertArrayEquals(l, again.slice(1));
            assertEquals(List.of(1), again.labelledSlices());
            assertFalse(again.dirty());
        }
        // a label file of another size, or with other values, is refused
        assertThrows(DataException.class, () -> LabelStore.open(tmp.resolve("labels.tif"), info.withDepth(SLICES + 1)));
        LabelStore.open(truth(), info).close(); // a 0/255 mask is a fully labelled file
        // but the raw image (16-bit grey values) is not a label file
        DataException e = assertThrows(DataException.class, () -> LabelStore.open(image(), info));
        assertTrue(e.getMessage().contains("labels must be 255 (pore), 0 (solid) or 128 (unlabelled)"), e.getMessage());
        // a stack of another size than the image is refused before serving
        Path small = tmp.resolve("small");
        PrintStream out = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            assertEquals(0, Main.execute("synth", small.toString(), "--size", "32", "--slices", "" + SLICES));
        } finally {
            System.setOut(out);
        }
        DataException m = assertThrows(DataException.class, () -> ViewStacks.open(image(), small.resolve("truth.tif"), null, null, null));
        assertTrue(m.getMessage().contains("32x32x" + SLICES) && m.getMessage().contains(SIZE + "x" + SIZE + "x" + SLICES), m.getMessage());
    }

    @Test
    void portInUseNamesThePort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();
            DataException e = assertThrows(DataException.class, () -> ViewServer.start(session, port));
            assertTrue(e.getMessage().contains("port " + port), e.getMessage());
            // and through the command line: exit 1 with the port in the message, before serving
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream old = System.err;
            int rc;
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                rc = Main.commandLine().setErr(new java.io.PrintWriter(err, true))
                        .execute("view", image().toString(), "--model", "none", "--labels", tmp.resolve("l2.tif").toString(),
                                "--port", "" + port);
            } finally {
                System.setErr(old);
            }
            assertEquals(1, rc);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("port " + port), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void mismatchedStackExitsWithOneBeforeServing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int rc;
        try {
            System.setOut(new PrintStream(out));
            rc = Main.commandLine().setErr(new java.io.PrintWriter(err, true))
                    .execute("view", image().toString(), "--mask", tmp.resolve("missing.tif").toString(), "--model", "none");
        } finally {
            System.setOut(old);
        }
        assertEquals(1, rc);
        assertEquals("", out.toString(), "no address printed");
        assertTrue(err.toString().contains("missing.tif"), err.toString());
    }
}

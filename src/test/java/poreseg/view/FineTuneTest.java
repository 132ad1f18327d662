package poreseg.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.cli.Main;

/** Fine-tuning from the viewer: the bundled U-Net on a tiny stack, one short epoch; cancelling leaves nothing. */
class FineTuneTest {
    static final int SIZE = 48;
    static final FineTune.Settings QUICK = new FineTune.Settings(1, 2, 1e-4, 48, 2, 1);

    @TempDir
    static Path data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void synth() {
        PrintStream out = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            assertEquals(0, Main.execute("synth", data.resolve("s").toString(), "--size", "" + SIZE, "--slices", "3", "--seed", "5"));
        } finally {
            System.setOut(out);
        }
    }

    ViewSession session(Path tuned) throws Exception {
        ViewStacks stacks = ViewStacks.open(data.resolve("s/image.tif"), null, null, null, data.resolve("s/truth.tif"));
        ViewSession s = new ViewSession(stacks, LabelStore.open(tmp.resolve("labels.tif"), stacks.info()), "default", tuned, QUICK);
        byte[] l = new byte[SIZE * SIZE];
        Arrays.fill(l, (byte) LabelStore.UNLABELLED);
        for (int x = 4; x < 40; x++) {
            l[10 * SIZE + x] = (byte) LabelStore.PORE;
            l[20 * SIZE + x] = (byte) LabelStore.SOLID;
        }
        s.labels().set(1, l);
        return s;
    }

    @Test
    void fineTunesInTheBackgroundAndShowsTheNewPrediction() throws Exception {
        Path tuned = tmp.resolve("tuned");
        try (ViewSession s = session(tuned); ViewServer server = ViewServer.start(s, 0)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port() + "/api/";
            String q = "token=" + server.token();
            // the bundled model's prediction says the scale it runs this stack at (chosen on first use)
            HttpResponse<byte[]> m = http.send(HttpRequest.newBuilder(URI.create(base + "slice/1/model.png?" + q)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, m.statusCode());
            String scale = m.headers().firstValue("X-Scale").orElseThrow();
            assertEquals(s.scaleOf(ViewSession.Predicted.MODEL), scale);
            assertTrue(scale.matches("1|1/[23] \\(enlarged [23]x\\)|\\d+ \\(reduced \\d+x\\)"), scale);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "train?slice=1&" + q))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, r.statusCode(), r.body());
            String state = "";
            for (int i = 0; i < 1200 && !state.contains("\"state\":\"done\"") && !state.contains("failed"); i++) {
                Thread.sleep(100);
                state = http.send(HttpRequest.newBuilder(URI.create(base + "train?" + q)).build(), HttpResponse.BodyHandlers.ofString()).body();
            }
            assertTrue(state.contains("\"state\":\"done\"") && state.contains("\"before\"") && state.contains("\"after\""), state);
            assertTrue(state.contains("\"calibrated\":false"), "strokes alone calibrate no porosity interval: " + state);
            assertTrue(Files.isRegularFile(tuned.resolve("model.json")) && Files.isRegularFile(tuned.resolve("params.bin")));
            assertTrue(Files.isRegularFile(tmp.resolve("labels.tif")), "labels saved before training");
            HttpResponse<Void> t = http.send(HttpRequest.newBuilder(URI.create(base + "slice/1/tuned.png?" + q)).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(200, t.statusCode());
            assertTrue(t.headers().firstValue("X-Scale").isEmpty(), "a fine-tuned model runs at factor 1, no scale choice");
            assertTrue(http.send(HttpRequest.newBuilder(URI.create(base + "porosity?" + q)).build(), HttpResponse.BodyHandlers.ofString())
                    .body().contains("\"tuned\":{\"1\":"));
        }
        assertEquals(List.of("labels.tif", "tuned"), names(tmp), "no temporary folder left");
    }

    @Test
    void cancellingLeavesNoModelFolder() throws Exception {
        Path tuned = tmp.resolve("tuned");
        AtomicLong steps = new AtomicLong();
        try (ViewSession s = session(tuned)) {
            FineTune.Listener l = new FineTune.Listener() {
                @Override
                public void progress(long done, long total) {
                    steps.set(done);
                }

                @Override
                public void epoch(int epoch, int epochs, double loss, double f1, double valLoss, double valF1, double seconds) {
                }
            };
            assertThrows(CancellationException.class, () -> FineTune.run("default", s.stacks(), s.labels(), tuned, new FineTune.Settings(5, 2, 1e-4, 48, 4, 1), l, () -> steps.get() >= 1));
        }
        assertFalse(Files.exists(tuned));
        assertEquals(List.of(), names(tmp).stream().filter(n -> !n.equals("labels.tif")).toList(), "no partial model or temporary folder");
    }

    @Test
    void targetsAreTheLabelsWherePaintedAndUnlabelledElsewhere() {
        byte[] labels = {(byte) 255, 0, (byte) 128, (byte) 128};
        float[] t = FineTune.targets(labels);
        assertEquals(List.of(1f, 0f, -1f, -1f), List.of(t[0], t[1], t[2], t[3]));
    }

    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

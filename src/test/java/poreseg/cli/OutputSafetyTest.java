package poreseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;

/** Outputs: never over a device or FIFO, never two on one path, nothing left behind by a failed or interrupted run. */
class OutputSafetyTest {
    @TempDir
    Path dir;

    private Path stack(String name, int w, int h, int d) throws Exception {
        List<float[]> s = new ArrayList<>();
        for (int z = 0; z < d; z++) {
            float[] a = new float[w * h];
            for (int i = 0; i < a.length; i++) {
                a[i] = (i * 7 + z * 13) % 5 == 0 ? 255 : 0;
            }
            s.add(a);
        }
        Path f = dir.resolve(name);
        TiffWriter.write(f, new ArrayVolume(new StackInfo(w, h, d, PixelType.U8, Calibration.NONE), s));
        return f;
    }

    private List<String> listing() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void forceNeverReplacesADeviceOrAFifo() throws Exception {
        Path m = stack("m.tif", 8, 8, 2);
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        CliTest.Result r = CliTest.run("threshold", m.toString(), fifo.toString(), "--method", "otsu", "--force");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("not a regular file"), r.err());
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "the FIFO was replaced");
        CliTest.Result dev = CliTest.run("measure", m.toString(), "--csv-profile", "/dev/null", "--force");
        assertEquals(1, dev.code(), dev.err());
        assertTrue(dev.err().contains("/dev/null: exists and is not a regular file"), dev.err());
        assertEquals(List.of("fifo", "m.tif"), listing());
    }

    @Test
    void twoOutputsOnOnePathAreAUsageError() throws Exception {
        Path m = stack("m.tif", 8, 8, 2);
        Path x = dir.resolve("x");
        CliTest.Result r = CliTest.run("measure", m.toString(), "--json", x.toString(), "--csv-profile", dir.resolve(".").resolve("x").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--json and --csv-profile name the same file"), r.err());
        assertFalse(Files.exists(x));
        Path t = stack("t.tif", 8, 8, 2);
        CliTest.Result e = CliTest.run("evaluate", m.toString(), t.toString(), "--json", x.toString(), "--csv", x.toString());
        assertEquals(2, e.code(), e.err());
        assertFalse(Files.exists(x));
    }

    @Test
    void studyValidatesBeforeWritingAndRemovesWhatAFailedRunMade() throws Exception {
        Path out = dir.resolve("study");
        CliTest.Result r = CliTest.run("study", "--images", "nope.tif", "--masks", "nope.tif", "--out", out.toString(), "--archs", "foo");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("unknown architecture 'foo'"), r.err());
        assertFalse(Files.exists(out));
        CliTest.Result p = CliTest.run("study", "--images", "a", "--masks", "b", "--out", out.toString(), "--patch", "100000");
        assertEquals(2, p.code(), p.err());
        assertTrue(p.err().contains("--patch must be in 16..4096, got 100000"), p.err());
        assertFalse(Files.exists(out));
        // fails after creating the folder and segmentations/ (masks of another size): nothing stays
        Path images = stack("img.tif", 16, 16, 4);
        Path masks = stack("masks.tif", 16, 16, 3);
        CliTest.Result d = CliTest.run("study", "--images", images.toString(), "--masks", masks.toString(), "--out", out.toString(),
                "--quick");
        assertEquals(1, d.code(), d.err());
        assertFalse(Files.exists(out), "a failed study left " + out);
    }

    @Test
    void absurdNumbersAreUsageErrorsWithTheAllowedRange() throws Exception {
        Path m = stack("m.tif", 8, 8, 2);
        Path o = dir.resolve("o.tif");
        CliTest.Result g = CliTest.run("preprocess", m.toString(), o.toString(), "--steps", "gaussian=1e9");
        assertEquals(2, g.code(), g.err());
        assertTrue(g.err().contains("sigma must be in 0..1000"), g.err());
        CliTest.Result c = CliTest.run("preprocess", m.toString(), o.toString(), "--steps", "clahe=1e12");
        assertEquals(2, c.code(), c.err());
        CliTest.Result s = CliTest.run("roi", m.toString(), o.toString(), "--sigma", "1e9");
        assertEquals(2, s.code(), s.err());
        assertTrue(s.err().contains("--sigma must be in 0..100"), s.err());
        assertFalse(Files.exists(o));
    }

    @Test
    void interruptRemovesTemporaryFilesAndExits130() throws Exception {
        Path big = stack("big.tif", 400, 400, 160); // long enough that a loaded machine still interrupts it mid-run
        Path out = dir.resolve("out.tif");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Djava.awt.headless=true",
                "poreseg.cli.Main", "preprocess", big.toString(), out.toString(), "--steps", "median=30")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean partSeen = false;
        while (System.nanoTime() < deadline && p.isAlive() && !partSeen) {
            partSeen = listing().stream().anyMatch(n -> n.endsWith(".part"));
            Thread.sleep(50);
        }
        assertTrue(partSeen && p.isAlive(), "the run ended before it could be interrupted");
        // a run started in the background by a non-interactive shell (nohup, '&') inherits SIGINT as
        // ignored, and the JVM rightly keeps it ignored: then send SIGTERM, which the same handler takes
        String sig = sigintIgnored() ? "-TERM" : "-INT";
        assertEquals(0, new ProcessBuilder("kill", sig, Long.toString(p.pid())).start().waitFor());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(130, p.exitValue(), err);
        assertTrue(err.contains("poreseg: interrupted"), err);
        assertEquals(List.of("big.tif"), listing());
    }

    /** Whether this process ignores SIGINT (Linux: bit 2 of SigIgn in /proc/self/status; false elsewhere). */
    private static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 2L) != 0;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // not Linux: assume the default disposition
        }
        return false;
    }
}

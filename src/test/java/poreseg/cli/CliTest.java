package poreseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;

class CliTest {
    @TempDir
    Path dir;

    /** Runs the CLI in-process, returning exit code, stdout and stderr. */
    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cl = Main.commandLine();
            cl.setOut(new java.io.PrintWriter(System.out, true));
            cl.setErr(new java.io.PrintWriter(System.err, true));
            int code = cl.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    record Result(int code, String out, String err) {
    }

    @Test
    void infoJsonHasTheDocumentedKeys() throws Exception {
        Path f = dir.resolve("s.tif");
        StackInfo info = new StackInfo(3, 2, 2, PixelType.U16, new Calibration(9, 9, 15, "nm"));
        TiffWriter.write(f, new ArrayVolume(info, List.of(new float[] {0, 1, 2, 3, 4, 5}, new float[] {6, 7, 8, 9, 10, 1000})));
        Result r = run("info", "--json", f.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(3, j.get("width").getAsInt());
        assertEquals(2, j.get("height").getAsInt());
        assertEquals(2, j.get("slices").getAsInt());
        assertEquals("uint16", j.get("type").getAsString());
        assertEquals(15.0, j.getAsJsonArray("voxel_size").get(2).getAsDouble());
        assertEquals("nm", j.get("unit").getAsString());
        assertEquals(0.0, j.get("min").getAsDouble());
        assertEquals(1000.0, j.get("max").getAsDouble());
        assertEquals((55.0 + 1000 - 11 + 11) / 12, j.get("mean").getAsDouble(), 1e-9);
    }

    @Test
    void infoTextNamesTheFacts() throws Exception {
        Path f = dir.resolve("t.tif");
        TiffWriter.write(f, new ArrayVolume(new StackInfo(2, 2, 1, PixelType.F32, Calibration.NONE),
                List.of(new float[] {0.5f, 1, 2, -3})));
        Result r = run("info", f.toString());
        assertEquals(0, r.code());
        assertTrue(r.out().contains("2 x 2 x 1") && r.out().contains("32-bit float") && r.out().contains("-3 / 2"), r.out());
    }

    @Test
    void missingFileIsADataErrorWithOneLine() {
        Result r = run("info", dir.resolve("missing.tif").toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("missing.tif") && r.err().contains("no such file"), r.err());
    }

    @Test
    void corruptFileIsADataErrorWithoutStackTrace() throws Exception {
        Path f = Files.write(dir.resolve("bad.tif"), new byte[] {'I', 'I', 42, 0, 1, 2, 3});
        Result r = run("info", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad.tif") && !r.err().contains("\tat "), r.err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run("info").code());
        assertEquals(2, run("info", "--bogus", "x").code());
        assertEquals(2, run("frobnicate").code());
        assertEquals(2, run().code());
    }

    @Test
    void helpAndVersion() {
        Result h = run("--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("info"));
        Result v = run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("poreseg "));
    }
}

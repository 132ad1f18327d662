package poreseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.io.Volumes;

class SynthCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesCalibratedStacksAndTruthJson() throws Exception {
        Path out = tmp.resolve("syn");
        int rc = Main.execute("synth", out.toString(), "--size", "40", "--slices", "5", "--voxel", "10,10,20",
                "--porosity", "0.1", "--seed", "3", "--json");
        assertEquals(0, rc);
        try (Volume img = Volumes.open(out.resolve("image.tif")); Volume tru = Volumes.open(out.resolve("truth.tif"))) {
            StackInfo i = img.info();
            assertEquals(PixelType.U16, i.type());
            assertEquals(40, i.width());
            assertEquals(5, i.depth());
            Calibration c = i.calibration();
            assertEquals(10, c.x(), 1e-9);
            assertEquals(10, c.y(), 1e-9);
            assertEquals(20, c.z(), 1e-9);
            assertEquals("nm", c.unit());
            assertEquals(PixelType.U8, tru.info().type());
            assertEquals(c, tru.info().calibration());
            for (float v : tru.slice(2)) {
                assertTrue(v == 0 || v == 255);
            }
        }
        assertTrue(!Files.exists(out.resolve("particle.tif")), "no particle.tif in crop mode");
        JsonObject j = JsonParser.parseString(Files.readString(out.resolve("truth.json"))).getAsJsonObject();
        assertEquals(3, j.getAsJsonObject("parameters").get("seed").getAsLong());
        assertEquals(0.1, j.getAsJsonObject("parameters").get("porosity_requested").getAsDouble());
        JsonObject t = j.getAsJsonObject("truth");
        double phi = t.get("porosity").getAsDouble();
        assertTrue(phi > 0.08 && phi < 0.12, "porosity " + phi);
        double volume = 400.0 * 400 * 100;
        assertEquals(phi * volume, t.get("pore_volume").getAsDouble(), 1e-6 * volume);
        assertTrue(t.get("pore_surface_area").getAsDouble() > 0);
        assertTrue(t.get("pore_count").getAsLong() > 0);
    }

    @Test
    void particleModeWritesParticleMaskInMicrometres() throws Exception {
        Path out = tmp.resolve("p");
        assertEquals(0, Main.execute("synth", out.toString(), "--particle", "--size", "64", "--slices", "2",
                "--voxel", "0.01,0.01,0.015", "--unit", "um", "--json"));
        try (Volume p = Volumes.open(out.resolve("particle.tif"))) {
            assertEquals("um", p.info().calibration().unit());
            float[] s = p.slice(1);
            assertEquals(255f, s[32 * 64 + 32], "centre is inside");
            assertEquals(0f, s[0], "corner is background");
        }
    }

    @Test
    void refusesToOverwriteAndBadOptions() throws Exception {
        Path out = tmp.resolve("o");
        assertEquals(0, Main.execute("synth", out.toString(), "--size", "32", "--slices", "2", "--json"));
        assertEquals(2, Main.execute("synth", out.toString(), "--size", "32", "--slices", "2"));
        assertEquals(0, Main.execute("synth", out.toString(), "--size", "32", "--slices", "2", "--force", "--json"));
        assertEquals(2, Main.execute("synth", tmp.resolve("x").toString(), "--porosity", "0.7"));
        assertEquals(2, Main.execute("synth", tmp.resolve("x").toString(), "--crop", "--particle"));
        assertEquals(2, Main.execute("synth", tmp.resolve("x").toString(), "--unit", "pixel"));
        assertEquals(2, Main.execute("synth", tmp.resolve("x").toString(), "--voxel", "9,9"));
        Files.writeString(tmp.resolve("file"), "x");
        assertEquals(2, Main.execute("synth", tmp.resolve("file").toString(), "--size", "32", "--slices", "2"));
    }

    @Test
    void randomizeDrawsTheAppearanceAndRecordsIt() throws Exception {
        Path out = tmp.resolve("r");
        assertEquals(0, Main.execute("synth", out.toString(), "--randomize", "--seed", "7", "--size", "48", "--slices", "3", "--json"));
        JsonObject j = JsonParser.parseString(Files.readString(out.resolve("truth.json"))).getAsJsonObject();
        assertEquals("poreseg synth 3", j.get("generator").getAsString());
        assertTrue(j.getAsJsonObject("parameters").get("randomized").getAsBoolean());
        JsonObject a = j.getAsJsonObject("appearance");
        assertEquals(poreseg.synth.SynthParams.randomized(7).appearance().gamma(), a.get("gamma").getAsDouble());
        try (Volume img = Volumes.open(out.resolve("image.tif"))) {
            assertEquals(48, img.info().width());
            assertEquals(3, img.info().depth());
            assertEquals(poreseg.synth.SynthParams.randomized(7).voxel().x(), img.info().calibration().x(), 1e-9);
        }
        // the drawn parameters cannot also be given
        assertEquals(2, Main.execute("synth", tmp.resolve("r2").toString(), "--randomize", "--porosity", "0.1"));
        assertEquals(2, Main.execute("synth", tmp.resolve("r3").toString(), "--randomize", "--particle"));
        assertTrue(!Files.exists(tmp.resolve("r2")));
    }
}

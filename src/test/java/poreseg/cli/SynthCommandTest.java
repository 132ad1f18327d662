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
    @Test
    void appearanceOverridesTheFixedModelAndIsRecorded() throws Exception {
        Path plain = tmp.resolve("plain");
        Path bright = tmp.resolve("bright");
        String[] common = {"--size", "48", "--slices", "2", "--voxel", "9,9,15", "--porosity", "0.26", "--seed", "5", "--json"};
        assertEquals(0, Main.execute(concat(new String[] {"synth", plain.toString()}, common)));
        assertEquals(0, Main.execute(concat(new String[] {"synth", bright.toString()}, common, "--appearance", "wallGain=1.3, voidLevel=0.25")));
        JsonObject j = JsonParser.parseString(Files.readString(bright.resolve("truth.json"))).getAsJsonObject();
        assertEquals(1.3, j.getAsJsonObject("appearance").get("wallGain").getAsDouble());
        assertEquals(0.25, j.getAsJsonObject("appearance").get("voidLevel").getAsDouble());
        assertEquals(poreseg.synth.Appearance.DEFAULT.depthDecay(), j.getAsJsonObject("appearance").get("depthDecay").getAsDouble());
        try (Volume a = Volumes.open(plain.resolve("image.tif")); Volume b = Volumes.open(bright.resolve("image.tif"));
                Volume ta = Volumes.open(plain.resolve("truth.tif")); Volume tb = Volumes.open(bright.resolve("truth.tif"))) {
            // same microstructure (the truth), brighter pores (shine-through and void level): the mean over pore pixels rises
            float[] ia = a.slice(1);
            float[] ib = b.slice(1);
            float[] t = ta.slice(1);
            assertTrue(java.util.Arrays.equals(t, tb.slice(1)));
            double sa = 0;
            double sb = 0;
            int n = 0;
            for (int k = 0; k < t.length; k++) {
                if (t[k] == 255) {
                    sa += ia[k];
                    sb += ib[k];
                    n++;
                }
            }
            assertTrue(n > 0 && sb > sa * 1.2, sa / n + " -> " + sb / n);
        }
        // the default appearance given explicitly is the fixed model, byte for byte
        Path same = tmp.resolve("same");
        assertEquals(0, Main.execute(concat(new String[] {"synth", same.toString()}, common, "--appearance", "wallGain=0.55")));
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(plain.resolve("image.tif")), Files.readAllBytes(same.resolve("image.tif"))));
        // bad overrides are usage errors, nothing written
        for (String bad : new String[] {"wallGain=9", "wallgain=1", "wallGain", "bits=12", "inverted=yes", "wallGain=1,wallGain=2", "psfNm=NaN"}) {
            assertEquals(2, Main.execute("synth", tmp.resolve("bad").toString(), "--size", "32", "--slices", "2", "--appearance", bad), bad);
        }
        assertEquals(2, Main.execute("synth", tmp.resolve("bad").toString(), "--randomize", "--appearance", "bits=8"));
        assertTrue(!Files.exists(tmp.resolve("bad")));
    }

    private static String[] concat(String[] a, String[] b, String... c) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length + c.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        System.arraycopy(c, 0, r, a.length + b.length, c.length);
        return r;
    }
}

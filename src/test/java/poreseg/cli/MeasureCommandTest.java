package poreseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;

/** measure and roi commands in-process: outputs, JSON keys, exit codes. */
class MeasureCommandTest {
    @TempDir
    Path dir;

    private Path golden(String name) throws Exception {
        return Path.of(getClass().getResource("/skimage/" + name).toURI());
    }

    @Test
    void writesJsonCsvMeshAndRender() throws Exception {
        Path json = dir.resolve("r.json");
        Path csv = dir.resolve("p.csv");
        Path stl = dir.resolve("s.stl");
        Path png = dir.resolve("v.png");
        int code = Main.execute("measure", golden("vol1.tif").toString(), "--voxel", "1,1,1", "--json", json.toString(),
                "--csv-profile", csv.toString(), "--mesh", stl.toString(), "--render", png.toString(), "--render-size", "64");
        assertEquals(0, code);
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        for (String k : List.of("porosity", "pore_voxels", "roi_voxels", "pore_volume", "surface_area_marching_cubes",
                "surface_area", "specific_surface_area", "components_6", "components_26", "largest_component_fraction",
                "percolates", "max_pore_radius", "pore_size_distribution", "mean_pore_diameter", "porosity_profile")) {
            assertTrue(o.has(k), k);
        }
        assertEquals(6784, o.get("pore_voxels").getAsLong());
        assertEquals(3395.60009765625, o.get("surface_area_marching_cubes").getAsDouble(), 3395.6 * 1e-3);
        assertTrue(o.getAsJsonObject("pore_size_distribution").has("bin_edges"));
        List<String> lines = Files.readAllLines(csv);
        assertEquals("slice,z_pixel,porosity", lines.get(0));
        int depth = o.getAsJsonArray("shape").get(2).getAsInt();
        assertEquals(depth + 1, lines.size());
        // STL: 80-byte header, count, 50 bytes per triangle
        long size = Files.size(stl);
        assertEquals(0, (size - 84) % 50);
        assertTrue(size > 84);
        BufferedImage im = ImageIO.read(png.toFile());
        assertEquals(3 * 64, im.getWidth());
    }

    @Test
    void refusesToOverwriteWithoutForce() throws Exception {
        Path json = dir.resolve("r.json");
        Files.writeString(json, "x");
        assertEquals(Main.EXIT_USAGE, Main.execute("measure", golden("vol1.tif").toString(), "--json", json.toString()));
        assertEquals("x", Files.readString(json));
        assertEquals(0, Main.execute("measure", golden("vol1.tif").toString(), "--json", json.toString(), "--force",
                "--no-distances"));
    }

    @Test
    void errorsHaveExitCodes() throws Exception {
        assertEquals(Main.EXIT_DATA, Main.execute("measure", dir.resolve("missing.tif").toString()));
        assertEquals(Main.EXIT_USAGE, Main.execute("measure", golden("vol1.tif").toString(), "--voxel", "1,x"));
        assertEquals(Main.EXIT_USAGE, Main.execute("measure"));
        // an ROI that excludes everything
        StackInfo info = new StackInfo(72, 64, 56, PixelType.U8, Calibration.NONE);
        Path empty = dir.resolve("empty.tif");
        TiffWriter.write(empty, ArrayVolume.zeros(info));
        assertEquals(Main.EXIT_DATA, Main.execute("measure", golden("vol1.tif").toString(), "--roi", empty.toString()));
    }

    @Test
    void roiCommandThenMeasureWithRoi() throws Exception {
        Path raw = dir.resolve("raw.tif");
        ArrayVolume v = poreseg.morpho.ParticleRoiTestAccess.raw();
        TiffWriter.write(raw, v);
        Path roi = dir.resolve("roi.tif");
        assertEquals(0, Main.execute("roi", raw.toString(), roi.toString(), "--json"));
        assertEquals(Main.EXIT_USAGE, Main.execute("roi", raw.toString(), raw.toString(), "--force"));
        Path pores = dir.resolve("pores.tif");
        TiffWriter.write(pores, poreseg.morpho.ParticleRoiTestAccess.pores());
        Path json = dir.resolve("m.json");
        assertEquals(0, Main.execute("measure", pores.toString(), "--roi", roi.toString(), "--json", json.toString()));
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        double p = o.get("porosity").getAsDouble();
        assertTrue(p > 0.015 && p < 0.025, "porosity " + p);
    }

    @Test
    void benchMeasureRunsOnASmallVolume() {
        assertEquals(0, Main.execute("bench", "measure", "--size", "24", "--json"));
        assertEquals(Main.EXIT_USAGE, Main.execute("bench", "measure", "--size", "2"));
    }

    @Test
    void measuresAFolderOfSlicesWithZeroAsPore() throws Exception {
        // the same volume as a folder of single-slice TIFFs, inverted: 0 = pore
        poreseg.io.ArrayVolume v = poreseg.io.Volumes.load(golden("vol2.tif"));
        Path folder = Files.createDirectory(dir.resolve("slices"));
        StackInfo one = v.info().withDepth(1);
        for (int z = 0; z < v.info().depth(); z++) {
            float[] s = v.slice(z);
            for (int i = 0; i < s.length; i++) {
                s[i] = 255 - s[i];
            }
            TiffWriter.write(folder.resolve("slice" + z + ".tif"), new ArrayVolume(one, List.of(s)));
        }
        Path json = dir.resolve("f.json");
        assertEquals(0, Main.execute("measure", folder.toString(), "--pore-value", "0", "--voxel", "9,9,15", "--unit", "nm",
                "--json", json.toString()));
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(12233, o.get("pore_voxels").getAsLong());
        assertEquals(8, o.get("components_6").getAsLong());
        assertEquals("nm", o.get("unit").getAsString());
    }
}

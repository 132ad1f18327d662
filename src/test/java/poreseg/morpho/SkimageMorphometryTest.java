package poreseg.morpho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import poreseg.io.Calibration;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.util.ProgressListener;

/** scikit-image / SciPy golden morphometry cases (src/test/resources/skimage/cases.json). */
class SkimageMorphometryTest {

    @TestFactory
    List<DynamicTest> goldenCases() throws Exception {
        JsonObject root;
        try (InputStream in = getClass().getResourceAsStream("/skimage/cases.json")) {
            root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
        JsonArray cases = root.getAsJsonArray("cases");
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : cases) {
            JsonObject c = e.getAsJsonObject();
            if (!"morphometry".equals(c.get("op").getAsString())) {
                continue; // the same file holds the preprocessing cases
            }
            String input = c.get("input").getAsString();
            tests.add(DynamicTest.dynamicTest(input, () -> check(c)));
        }
        assertFalse(tests.isEmpty());
        return tests;
    }

    private void check(JsonObject c) throws Exception {
        Path file = Path.of(getClass().getResource("/skimage/" + c.get("input").getAsString()).toURI());
        JsonArray sp = c.getAsJsonArray("spacing_zyx");
        Calibration cal = new Calibration(sp.get(2).getAsDouble(), sp.get(1).getAsDouble(), sp.get(0).getAsDouble(), "nm");
        MeasureResult r;
        try (Volume v = Volumes.open(file)) {
            r = PoreMeasures.measure(v, null, cal, c.get("pore_value").getAsDouble(), PoreMeasures.Options.ALL,
                    ProgressListener.NONE);
        }
        assertEquals(c.get("pore_voxels").getAsLong(), r.poreVoxels(), "pore voxels");
        assertEquals(c.get("components_6").getAsLong(), r.components6(), "components 6");
        assertEquals(c.get("components_26").getAsLong(), r.components26(), "components 26");
        rel(c.get("porosity").getAsDouble(), r.porosity(), 1e-9, "porosity");
        rel(c.get("pore_volume").getAsDouble(), r.poreVolume(), 1e-9, "pore volume");
        rel(c.get("surface_area_marching_cubes").getAsDouble(), r.surfaceAreaMarchingCubes(), 1e-3, "marching cubes area");
        assertEquals(c.get("max_edt").getAsDouble(), r.maxPoreRadius(), 1e-6, "max EDT");
        if (c.has("analytic_surface_area")) {
            rel(c.get("analytic_surface_area").getAsDouble(), r.surfaceArea(), 0.03, "Crofton area vs analytic");
            rel(c.get("analytic_volume").getAsDouble(), r.poreVolume(), 0.01, "volume vs analytic");
        }
    }

    /**
     * A random 40 % volume (every ambiguous marching-cubes configuration occurs), golden values
     * from scikit-image 0.26 / SciPy 1.17 (tools/make_mc_golden.py).
     */
    @org.junit.jupiter.api.Test
    void randomVolumeWithAmbiguousConfigurations() throws Exception {
        JsonObject g;
        try (InputStream in = getClass().getResourceAsStream("/morpho/random_mc.json")) {
            g = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
        Path file = Path.of(getClass().getResource("/morpho/random_mc.tif").toURI());
        for (var e : g.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            JsonArray sp = c.getAsJsonArray("spacing_zyx");
            Calibration cal = new Calibration(sp.get(2).getAsDouble(), sp.get(1).getAsDouble(), sp.get(0).getAsDouble(), "nm");
            MeasureResult r;
            try (Volume v = Volumes.open(file)) {
                r = PoreMeasures.measure(v, null, cal, 255, PoreMeasures.Options.ALL, ProgressListener.NONE);
            }
            assertEquals(g.get("pore_voxels").getAsLong(), r.poreVoxels());
            assertEquals(g.get("components_6").getAsLong(), r.components6());
            assertEquals(g.get("components_26").getAsLong(), r.components26());
            // float64 in skimage for this spacing, float32 for (1, 1, 1)
            rel(c.get("surface_area_marching_cubes").getAsDouble(), r.surfaceAreaMarchingCubes(), 1e-6, "marching cubes " + cal);
            assertEquals(c.get("max_edt").getAsDouble(), r.maxPoreRadius(), 1e-6);
        }
    }

    static void rel(double expected, double actual, double tol, String what) {
        double err = Math.abs(actual - expected) / Math.abs(expected);
        if (!(err <= tol)) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual + " (relative error " + err + ")");
        }
    }
}

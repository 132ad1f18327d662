package poreseg.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.cli.Main;
import poreseg.report.ReportCheck;
import poreseg.util.ParameterException;

/** The quick demo end to end: its report's numbers agree with 'measure' and 'evaluate' run by hand on its files. */
class DemoTest {
    @TempDir
    static Path dir;

    static Analysis.Result result;

    @BeforeAll
    static void runQuickDemo() throws Exception {
        result = Demo.run(new Demo.Options(dir.resolve("out"), true, null, null, "default", 7, false), Stages.NONE);
    }

    @Test
    void writesReportAndEveryIntermediateStack() {
        Path out = dir.resolve("out");
        for (String f : new String[] {"report.html", "report.json", "threshold.tif", "cnn.tif", "cnn_probability.tif",
            "data/image.tif", "data/truth.tif", "data/truth.json"}) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        assertEquals(2, result.segmentations().size());
    }

    @Test
    void reportIsSelfContainedAndWellFormed() throws Exception {
        String html = Files.readString(result.report());
        ReportCheck.Result check = ReportCheck.checkHtml(html);
        assertTrue(check.ok(), check.toString());
        assertTrue(html.contains("ground truth") && html.contains("threshold (Otsu)") && html.contains("CNN"));
    }

    @Test
    void cnnBeatsTheThresholdBaselineOnTheSyntheticTruth() {
        double thr = result.segmentations().get(0).evaluation().total().f1();
        double cnn = result.segmentations().get(1).evaluation().total().f1();
        assertTrue(cnn > 0.8 && cnn > thr, "CNN F1 " + cnn + " vs threshold " + thr);
        double truePorosity = result.truth().measures().porosity();
        assertEquals(truePorosity, result.segmentations().get(1).measures().porosity(), 0.02);
    }

    @Test
    void numbersAgreeWithMeasureAndEvaluateRunByHand() throws Exception {
        Path out = dir.resolve("out");
        Path m = dir.resolve("m.json");
        assertEquals(0, Main.execute("measure", out.resolve("cnn.tif").toString(), "--json", m.toString()));
        JsonObject mj = JsonParser.parseString(Files.readString(m)).getAsJsonObject();
        Variant cnn = result.segmentations().get(1);
        assertEquals(cnn.measures().porosity(), mj.get("porosity").getAsDouble(), 1e-12);
        assertEquals(cnn.measures().surfaceArea(), mj.get("surface_area").getAsDouble(), 1e-9 * cnn.measures().surfaceArea());
        Path e = dir.resolve("e.json");
        assertEquals(0, Main.execute("evaluate", out.resolve("cnn.tif").toString(), out.resolve("data/truth.tif").toString(),
                "--prob", out.resolve("cnn_probability.tif").toString(), "--json", e.toString()));
        String ej = Files.readString(e);
        String f1 = String.valueOf(cnn.evaluation().total().f1());
        assertTrue(ej.contains(f1.substring(0, Math.min(f1.length(), 10))), "evaluate F1 differs: " + f1 + " not in " + ej);
    }

    @Test
    void refusesANonEmptyOutputFolderWithoutForce() {
        assertThrows(ParameterException.class,
                () -> Demo.run(new Demo.Options(dir.resolve("out"), true, null, null, "default", 7, false), Stages.NONE));
    }
}

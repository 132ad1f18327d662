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

class EvaluateCommandTest {
    static final float P = 255;

    @TempDir
    Path dir;

    Path tiff(String name, Calibration cal, float[]... slices) throws Exception {
        Path p = dir.resolve(name);
        TiffWriter.write(p, new ArrayVolume(new StackInfo(4, 2, slices.length, PixelType.U8, cal), List.of(slices)));
        return p;
    }

    static String run(int expectedCode, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expectedCode, Main.execute(args));
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesJsonAndCsvWithHandCountedScores() throws Exception {
        Calibration cal = new Calibration(9, 9, 15, "nm");
        Path pred = tiff("pred.tif", cal, new float[] {P, P, 0, 0, 0, 0, 0, 0}, new float[] {P, P, P, P, 0, 0, 0, 0});
        Path truth = tiff("truth.tif", cal, new float[] {P, 0, P, 0, 0, 0, 0, 0}, new float[] {P, P, P, P, P, P, 0, 0});
        Path json = dir.resolve("e.json");
        Path csv = dir.resolve("e.csv");
        String text = run(0, "evaluate", pred.toString(), truth.toString(), "--json", json.toString(), "--csv", csv.toString());
        assertTrue(text.contains("confusion:  TP 5  FP 1  FN 3  TN 7"), text);
        assertTrue(text.contains("porosity:   predicted 37.5000 %, truth 50.0000 %, error -12.5000 percentage points"), text);
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        JsonObject total = o.getAsJsonObject("total");
        assertEquals(0.75, total.get("accuracy").getAsDouble(), 1e-15);
        assertEquals(5.0 / 9, total.get("iou").getAsDouble(), 1e-15);
        assertEquals(2, o.getAsJsonArray("slices").size());
        assertEquals("nm", o.get("unit").getAsString());
        assertEquals(3, Files.readAllLines(csv).size());

        String stdout = run(0, "evaluate", pred.toString(), truth.toString(), "--json");
        JsonObject o2 = JsonParser.parseString(stdout).getAsJsonObject();
        assertEquals(10.0 / 14, o2.getAsJsonObject("total").get("f1").getAsDouble(), 1e-15);

        // outputs are not overwritten without --force, nor ever over an input
        run(2, "evaluate", pred.toString(), truth.toString(), "--csv", csv.toString());
        run(0, "evaluate", pred.toString(), truth.toString(), "--csv", csv.toString(), "--force");
        run(2, "evaluate", pred.toString(), truth.toString(), "--json", truth.toString(), "--force");
    }

    @Test
    void reportHoldsTheSameNumbersAsTheJson() throws Exception {
        Calibration cal = new Calibration(9, 9, 15, "nm");
        Path pred = tiff("pred.tif", cal, new float[] {P, P, 0, 0, 0, 0, 0, 0}, new float[] {P, P, P, P, 0, 0, 0, 0});
        Path truth = tiff("truth.tif", cal, new float[] {P, 0, P, 0, 0, 0, 0, 0}, new float[] {P, P, P, P, P, P, 0, 0});
        Path image = tiff("image.tif", cal, new float[] {10, 200, 10, 200, 200, 200, 200, 200}, new float[] {10, 10, 10, 10, 10, 10, 200, 200});
        Path rep = dir.resolve("rep");
        String stdout = run(0, "evaluate", pred.toString(), truth.toString(), "--image", image.toString(), "--report", rep.toString(), "--json");
        JsonObject total = JsonParser.parseString(stdout).getAsJsonObject().getAsJsonObject("total");
        JsonObject report = JsonParser.parseString(Files.readString(rep.resolve("report.json"))).getAsJsonObject();
        JsonObject h0 = report.getAsJsonArray("headline").get(0).getAsJsonObject();
        assertEquals("porosity_predicted", h0.get("key").getAsString());
        assertEquals(100 * total.get("porosity_predicted").getAsDouble(), h0.get("value").getAsDouble(), 1e-12);
        JsonObject row = report.getAsJsonArray("tables").get(0).getAsJsonObject().getAsJsonArray("rows").get(1).getAsJsonObject();
        assertEquals(total.get("f1").getAsDouble(), row.get("F1").getAsDouble(), 1e-15);
        assertEquals(total.get("iou").getAsDouble(), row.get("IoU").getAsDouble(), 1e-15);
        String html = Files.readString(rep.resolve("report.html"));
        assertTrue(html.contains(">37.500<span class=\"unit\">"), "predicted porosity 6/16 in the HTML");
        assertTrue(html.contains("<td class=\"num\">0.7143</td>"), "F1 10/14 in the HTML");
        poreseg.report.ReportCheck.Result check = poreseg.report.ReportCheck.checkHtml(html);
        assertTrue(check.ok(), check.problems().toString());
        assertEquals(3, check.images());
        assertTrue(Files.isRegularFile(rep.resolve("figures/montage.png")));
        // an existing report is kept without --force; --image needs --report
        run(2, "evaluate", pred.toString(), truth.toString(), "--report", rep.toString());
        run(0, "evaluate", pred.toString(), truth.toString(), "--report", rep.toString(), "--force");
        run(2, "evaluate", pred.toString(), truth.toString(), "--image", image.toString());
    }

    @Test
    void mismatchedInputsExitWithDataError() throws Exception {
        Path pred = tiff("pred.tif", new Calibration(9, 9, 15, "nm"), new float[8], new float[8]);
        Path truth = tiff("truth.tif", new Calibration(10, 10, 15, "nm"), new float[8], new float[8]);
        Path oneSlice = tiff("one.tif", Calibration.NONE, new float[8]);
        Path grey = tiff("grey.tif", Calibration.NONE, new float[] {0, 1, 2, 0, 0, 0, 0, 0}, new float[8]);
        run(1, "evaluate", pred.toString(), truth.toString());
        run(1, "evaluate", pred.toString(), oneSlice.toString());
        run(1, "evaluate", grey.toString(), pred.toString());
        run(1, "evaluate", pred.toString(), dir.resolve("missing.tif").toString());
        run(2, "evaluate", pred.toString());
    }
}

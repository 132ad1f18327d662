package poreseg.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.Calibration;
import poreseg.synth.SynthGenerator;
import poreseg.synth.SynthParams;
import poreseg.util.ProgressListener;
import poreseg.workflow.Analysis;
import poreseg.workflow.Stages;

/**
 * poreseg-spark analyze on local[2]: three small synthetic stacks (one with roi auto, one with its
 * voxel size from the manifest, one with an ROI mask), a truncated stack and one with an ROI of
 * another size through a manifest, the first attempt of one stack's segmentation failing on purpose
 * (Spark retries it). Every number, report.json's results and the written masks and probabilities
 * equal those of the single-machine analysis of the same stack; the bad stacks are reported in the
 * summary and do not stop the batch; --resume skips the completed stacks. Three waves of two
 * stacks; the stacks and the model folder (the bundled model's files) are read through the copy
 * cache used for remote files.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkAnalyzeTest {
    @TempDir
    static Path dir;

    static Path out;
    static Path model;
    static int firstCode;
    static Map<String, SummaryRow> rows;
    static final Map<String, Analysis.Result> local = new HashMap<>();
    static final Map<String, Path> localOut = new HashMap<>();

    @BeforeAll
    static void runBatchAndLocal() throws Exception {
        SynthParams p = SynthParams.defaults().withSize(64).withSlices(8);
        new SynthGenerator().generate(p.withSeed(1)).write(dir.resolve("a"), false, ProgressListener.NONE);
        new SynthGenerator().generate(p.withSeed(2).withVoxel(new Calibration(10, 10, 20, "nm"))).write(dir.resolve("b"), false, ProgressListener.NONE);
        new SynthGenerator().generate(p.withSeed(3).withParticle(true)).write(dir.resolve("c"), true, ProgressListener.NONE);
        new SynthGenerator().generate(p.withSeed(4).withSlices(4).withParticle(true)).write(dir.resolve("small"), true, ProgressListener.NONE);
        byte[] whole = Files.readAllBytes(dir.resolve("a/image.tif"));
        Files.createDirectories(dir.resolve("bad"));
        Files.write(dir.resolve("bad/image.tif"), Arrays.copyOf(whole, whole.length * 2 / 3));
        Files.writeString(dir.resolve("manifest.csv"), String.join("\n",
                "path,voxel_x,voxel_y,voxel_z,unit,roi,id",
                "a/image.tif,,,,,auto,a",
                "b/image.tif,9,9,15,nm,,b",
                "\"c/image.tif\",,,,,c/particle.tif,c",
                "bad/image.tif,,,,,,truncated",
                "b/image.tif,,,,,small/particle.tif,wrong-roi", ""));
        // the bundled model as a model folder, given as a URI and read through the copy cache
        model = Files.createDirectories(dir.resolve("model"));
        for (String f : List.of("model.json", "params.bin")) {
            try (var in = SparkAnalyzeTest.class.getResourceAsStream("/poreseg/models/default/" + f)) {
                Files.copy(in, model.resolve(f));
            }
        }
        out = dir.resolve("out");
        System.setProperty(SparkBatch.FAIL_ONCE, "b");
        System.setProperty(HadoopFiles.COPY_LOCAL, "true"); // read the stacks as remote ones: through copies
        try {
            firstCode = SparkMain.execute("analyze", dir.resolve("manifest.csv").toString(), "--out", out.toString(), "--master", "local[2]",
                    "--quick", "--slices-per-task", "3", "--stacks-per-wave", "2", "--model", model.toUri().toString());
        } finally {
            System.clearProperty(SparkBatch.FAIL_ONCE);
            System.clearProperty(HadoopFiles.COPY_LOCAL);
        }
        rows = readSummary(out.resolve(SparkBatch.SUMMARY_CSV));
        // the single-machine analysis of the same stacks, same options
        for (String id : List.of("a", "b", "c")) {
            Analysis.Roi roi = switch (id) {
                case "a" -> Analysis.Roi.AUTO;
                case "c" -> new Analysis.Roi(Analysis.RoiKind.FILE, dir.resolve("c/particle.tif"));
                default -> Analysis.Roi.NONE;
            };
            Path o = dir.resolve("local-" + id);
            Analysis.Options opt = new Analysis.Options(dir.resolve(id + "/image.tif"), null, o, model.toString(), null, 0.5, roi,
                    id.equals("b") ? "9,9,15" : null, id.equals("b") ? "nm" : null, false, true, false);
            local.put(id, Analysis.run(opt, Stages.NONE));
            localOut.put(id, o);
        }
    }

    static Map<String, SummaryRow> readSummary(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertEquals(SummaryRow.csvHeader(), lines.get(0));
        Map<String, SummaryRow> m = new HashMap<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = Manifest.split(l, "summary", 0);
            assertEquals(SummaryRow.COLUMNS.length, f.length, l);
            SummaryRow r = new SummaryRow();
            r.id = f[1];
            r.status = f[3];
            r.error = f[4].isEmpty() ? null : f[4];
            r.earlier_run = Boolean.parseBoolean(f[5]);
            r.porosity = f[14].isEmpty() ? null : Double.valueOf(f[14]);
            r.porosity_low = f[15].isEmpty() ? null : Double.valueOf(f[15]);
            r.porosity_high = f[16].isEmpty() ? null : Double.valueOf(f[16]);
            r.pore_volume = f[17].isEmpty() ? null : Double.valueOf(f[17]);
            r.surface_area = f[18].isEmpty() ? null : Double.valueOf(f[18]);
            r.specific_surface_area = f[19].isEmpty() ? null : Double.valueOf(f[19]);
            r.percolates_x = f[20].isEmpty() ? null : Boolean.valueOf(f[20]);
            r.unit = f[9];
            r.output = f[26];
            m.put(r.id, r);
        }
        return m;
    }

    @Test
    void goodStacksMatchTheSingleMachineAnalysisExactly() throws Exception {
        for (String id : List.of("a", "b", "c")) {
            SummaryRow r = rows.get(id);
            assertEquals(SummaryRow.OK, r.status, id + ": " + r.error);
            Analysis.Result l = local.get(id);
            var m = l.cnnVariant().measures();
            assertEquals(m.porosity(), r.porosity, id);
            assertEquals(l.cnnPorosityInterval()[0], r.porosity_low, id);
            assertEquals(l.cnnPorosityInterval()[1], r.porosity_high, id);
            assertEquals(m.poreVolume(), r.pore_volume, id);
            assertEquals(m.surfaceArea(), r.surface_area, id);
            assertEquals(m.specificSurfaceArea(), r.specific_surface_area, id);
            assertEquals(m.percolates().x(), r.percolates_x, id);
            assertEquals(l.info().calibration().unit(), r.unit, id);
            Path sparkDir = out.resolve(SparkBatch.STACKS).resolve(id);
            // report.json: the same results (paths aside), the same mask and probabilities to the byte
            assertEquals(results(localOut.get(id).resolve("report.json")), results(sparkDir.resolve("report.json")), id);
            // the bundled model selects its scale: the probe's choice is analyze's (compared above), and there is one
            assertEquals(poreseg.net.Segmenter.scaleValue(l.cnn().scale().factor()).doubleValue(), results(sparkDir.resolve("report.json")).getAsJsonObject().get("scale").getAsDouble(), 0, id);
            assertEquals(id.equals("a"), Files.exists(sparkDir.resolve(Analysis.ROI)), id + ": roi.tif with roi auto");
            for (String f : id.equals("a") ? List.of(Analysis.CNN, Analysis.PROBABILITY, Analysis.UNCERTAINTY, Analysis.ROI)
                    : List.of(Analysis.CNN, Analysis.PROBABILITY, Analysis.UNCERTAINTY)) {
                assertArrayEquals(Files.readAllBytes(localOut.get(id).resolve(f)), Files.readAllBytes(sparkDir.resolve(f)), id + " " + f);
            }
            assertTrue(Files.exists(sparkDir.resolve("report.html")), id);
            String json = Files.readString(sparkDir.resolve("report.json"));
            assertFalse(json.contains("poreseg-spark-"), id + ": report.json names a task's temporary file");
            assertTrue(json.contains(sparkDir.resolve(Analysis.CNN).toString()), id + ": report.json names the published mask");
            assertTrue(Files.exists(sparkDir.resolve(SparkBatch.ROW_JSON)), id);
        }
        assertEquals("nm", rows.get("b").unit);
    }

    /** report.json's results without the fields that name files. */
    static JsonElement results(Path reportJson) throws Exception {
        JsonObject r = JsonParser.parseString(Files.readString(reportJson)).getAsJsonObject().getAsJsonObject("results").deepCopy();
        r.remove("roi");
        for (JsonElement s : r.getAsJsonArray("segmentations")) {
            s.getAsJsonObject().remove("mask");
        }
        return r;
    }

    @Test
    void theTruncatedStackIsReportedAndTheBatchGoesOn() throws Exception {
        assertEquals(SparkMain.EXIT_DATA, firstCode, "a failed stack makes the exit code 1");
        SummaryRow bad = rows.get("truncated");
        assertEquals(SummaryRow.ERROR, bad.status);
        assertTrue(bad.error.startsWith(dir.resolve("bad/image.tif") + ": truncated TIFF"), "names the user's file: " + bad.error);
        assertNull(bad.porosity);
        assertFalse(Files.exists(out.resolve(SparkBatch.STACKS).resolve("truncated")));
        // bad data found when the stack is assembled (after its slices were segmented)
        SummaryRow roi = rows.get("wrong-roi");
        assertEquals(SummaryRow.ERROR, roi.status);
        assertEquals(dir.resolve("small/particle.tif") + ": ROI is 64x64x4 but the stack is 64x64x8", roi.error);
        assertEquals(5, rows.size());
        try (var s = Files.list(out.resolve(SparkBatch.STACKS))) {
            assertEquals(List.of("a", "b", "c"), s.map(x -> x.getFileName().toString()).sorted().toList(), "no temporary folders left");
        }
    }

    @Test
    void parquetSummaryHoldsTheSameRows() {
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            List<Row> pq = spark.read().parquet(out.resolve(SparkBatch.SUMMARY_PARQUET).toString()).collectAsList();
            assertEquals(5, pq.size());
            for (Row r : pq) {
                String id = r.getAs("id");
                SummaryRow c = rows.get(id);
                assertEquals(c.status, r.getAs("status"));
                assertEquals(c.porosity, (Double) r.getAs("porosity"));
                assertEquals(c.surface_area, (Double) r.getAs("surface_area"));
                assertEquals(c.error, r.getAs("error"));
            }
        } finally {
            spark.stop();
        }
    }

    @Test
    void anAbortedSparkJobFailsOnlyItsWave() throws Exception {
        Files.writeString(dir.resolve("two.csv"), "path,id\na/image.tif,a\nb/image.tif,b\n");
        Path o = dir.resolve("aborted");
        System.setProperty(SparkBatch.FAIL_ALWAYS, "b");
        int code;
        try {
            code = SparkMain.execute("analyze", dir.resolve("two.csv").toString(), "--out", o.toString(), "--master", "local[2,2]",
                    "--quick", "--stacks-per-wave", "1", "--model", model.toString());
        } finally {
            System.clearProperty(SparkBatch.FAIL_ALWAYS);
        }
        assertEquals(SparkMain.EXIT_DATA, code);
        Map<String, SummaryRow> r = readSummary(o.resolve(SparkBatch.SUMMARY_CSV));
        assertEquals(SummaryRow.OK, r.get("a").status, r.get("a").error);
        assertEquals(SummaryRow.ERROR, r.get("b").status);
        assertTrue(r.get("b").error.startsWith("Spark job failed: ") && r.get("b").error.contains("injected failure"), r.get("b").error);
    }

    @Test
    @Order(9) // last: it rewrites the summary
    void resumeSkipsCompletedStacks() throws Exception {
        Path reportA = out.resolve(SparkBatch.STACKS).resolve("a/report.json");
        long before = Files.getLastModifiedTime(reportA).toMillis();
        Path leftover = Files.createDirectories(out.resolve(SparkBatch.STACKS).resolve(".c.tmp-0000/figures")).getParent();
        int code = SparkMain.execute("analyze", dir.resolve("manifest.csv").toUri().toString(), "--out", out.toUri().toString(),
                "--master", "local[2]", "--quick", "--resume", "--model", model.toString());
        assertEquals(SparkMain.EXIT_DATA, code, "the failed stacks are tried again and fail again");
        Map<String, SummaryRow> again = readSummary(out.resolve(SparkBatch.SUMMARY_CSV));
        for (String id : List.of("a", "b", "c")) {
            assertTrue(again.get(id).earlier_run, id);
            assertEquals(rows.get(id).porosity, again.get(id).porosity, id);
        }
        assertFalse(again.get("truncated").earlier_run);
        assertEquals(SummaryRow.ERROR, again.get("truncated").status);
        assertEquals(before, Files.getLastModifiedTime(reportA).toMillis(), "a completed stack is not rewritten");
        assertFalse(Files.exists(leftover), "a killed run's temporary folder is removed");
        // without --resume a used output folder is refused (usage)
        assertEquals(SparkMain.EXIT_USAGE, SparkMain.execute("analyze", dir.resolve("manifest.csv").toString(), "--out", out.toString(),
                "--master", "local[1]"));
    }
}

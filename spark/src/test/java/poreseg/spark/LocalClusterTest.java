package poreseg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.synth.SynthGenerator;
import poreseg.synth.SynthParams;
import poreseg.util.ProgressListener;
import poreseg.workflow.Analysis;
import poreseg.workflow.Stages;

/**
 * poreseg-spark on Spark's local-cluster master: two executors in their own JVMs (as on a real
 * cluster: each loads the model and the PyTorch engine, predictions cross JVMs in the shuffle), one
 * small stack; its numbers equal the single-machine analysis.
 */
class LocalClusterTest {
    @Test
    void twoExecutorJvmsGiveTheSingleMachineNumbers(@TempDir Path dir) throws Exception {
        // local-cluster needs a Spark home; the executors take this JVM's class path (spark.testing)
        Path home = Path.of(System.getenv().getOrDefault("SPARK_HOME", dir.resolve("spark-home").toString()));
        Files.createDirectories(home.resolve("jars"));
        System.setProperty("spark.testing", "1");
        System.setProperty("spark.test.home", home.toString());
        try {
            SynthParams p = SynthParams.defaults().withSize(64).withSlices(4).withSeed(11);
            new SynthGenerator().generate(p).write(dir.resolve("s"), false, ProgressListener.NONE);
            Files.writeString(dir.resolve("m.csv"), "path\ns/image.tif\n");
            Path out = dir.resolve("out");
            int code = SparkMain.execute("analyze", dir.resolve("m.csv").toString(), "--out", out.toString(), "--master",
                    "local-cluster[2,1,1024]", "--quick", "--slices-per-task", "2");
            assertEquals(0, code);
            List<String> csv = Files.readAllLines(out.resolve(SparkBatch.SUMMARY_CSV));
            String[] f = Manifest.split(csv.get(1), "summary", 2);
            Analysis.Result local = Analysis.run(new Analysis.Options(dir.resolve("s/image.tif"), null, dir.resolve("local"), "default", null,
                    0.5, Analysis.Roi.NONE, null, null, false, true, false), Stages.NONE);
            assertEquals("ok", f[3], csv.get(1));
            assertEquals(local.cnnVariant().measures().porosity(), Double.parseDouble(f[14]));
            assertEquals(local.cnnPorosityInterval()[1], Double.parseDouble(f[16]));
            assertEquals(local.cnnVariant().measures().surfaceArea(), Double.parseDouble(f[18]));
        } finally {
            System.clearProperty("spark.testing");
            System.clearProperty("spark.test.home");
        }
    }
}

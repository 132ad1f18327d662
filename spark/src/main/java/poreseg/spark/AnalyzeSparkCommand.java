package poreseg.spark;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import poreseg.io.UsageException;
import poreseg.net.ModelStore;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"'poreseg analyze' on every stack of a manifest, on Spark: slices segmented in parallel across executors (the "
                + "model loaded once per executor), each stack reassembled in slice order and measured by the same code as "
                + "'poreseg analyze'. Writes OUT/stacks/ID/ (report.json, report.html, cnn.tif, ... of each stack, published "
                + "atomically) and OUT/summary.csv and OUT/summary.parquet (one row per stack, with its status and error).",
            "MANIFEST is a CSV file with a header row: path (required), voxel_x, voxel_y, voxel_z, unit, roi (none|auto|MASK), id. "
                + "Paths and --out may be local or Hadoop URIs (hdfs://, s3a://, ...).",
            "Exit codes: 0 every stack analyzed, 1 bad manifest or model, or some stack failed (see the summary), 2 usage."})
final class AnalyzeSparkCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MANIFEST", description = "CSV manifest of the stacks (local path or URI).")
    String manifest;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (local path or URI); must be empty or absent unless --resume.")
    String out;

    @Option(names = "--model", defaultValue = "default", paramLabel = "MODEL_DIR",
            description = "Model folder from 'poreseg train' (local path or URI), or 'default' for the bundled U-Net (default).")
    String model;

    @Option(names = "--fold", paramLabel = "N", description = "Use only fold N of a k-fold model (default: the mean of all folds).")
    Integer fold;

    @Option(names = "--threshold", defaultValue = "0.5", description = "A pixel is pore where its probability is above this (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--quick", description = "Skip the slow distance measures (pore sizes) and draw smaller figures.")
    boolean quick;

    @Option(names = "--baseline", description = "Also segment each stack with the paper's global Otsu threshold, for comparison.")
    boolean baseline;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: the one spark-submit gives, else local[*]). local[N] runs N tasks at once in this JVM "
                    + "with up to 4 attempts per task (local[N,F]: F attempts).")
    String master;

    @Option(names = "--slices-per-task", defaultValue = "8", paramLabel = "N", description = "Slices segmented by one task (default: ${DEFAULT-VALUE}).")
    int slicesPerTask;

    @Option(names = "--stacks-per-wave", defaultValue = "0", paramLabel = "N",
            description = "Stacks segmented and assembled together; their predictions wait in Spark's shuffle files (about 8 bytes per "
                    + "voxel) until they are assembled (default: twice the cores).")
    int stacksPerWave;

    @Option(names = "--resume", description = "Skip the stacks whose outputs are complete in DIR (from an earlier run); analyze the others.")
    boolean resume;

    private static final Pattern LOCAL = Pattern.compile("local\\[(\\*|\\d+)\\]");

    @Override
    public Integer call() throws Exception {
        if (!(threshold > 0 && threshold < 1)) {
            throw new UsageException("--threshold must be in (0, 1), got " + threshold);
        }
        if (slicesPerTask < 1) {
            throw new UsageException("--slices-per-task must be 1 or more, got " + slicesPerTask);
        }
        if (stacksPerWave < 0) {
            throw new UsageException("--stacks-per-wave must be 1 or more, got " + stacksPerWave);
        }
        if (fold != null && fold < 0) {
            throw new UsageException("--fold must be 0 or more, got " + fold);
        }
        SparkConf conf = new SparkConf().setAppName("poreseg-spark analyze");
        String m = master != null ? master : conf.get("spark.master", "local[*]");
        Matcher lm = LOCAL.matcher(m);
        if (lm.matches()) {
            m = "local[" + lm.group(1) + ",4]"; // local mode retries a failed task only when told
        }
        conf.setMaster(m);
        int maxFailures;
        Matcher lf = Pattern.compile("local\\[(\\*|\\d+),\\s*(\\d+)\\]").matcher(m);
        if (lf.matches()) {
            maxFailures = Integer.parseInt(lf.group(2));
        } else if (m.equals("local")) {
            maxFailures = 1;
        } else {
            maxFailures = conf.getInt("spark.task.maxFailures", 4);
        }
        if (m.startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.setIfMissing("spark.sql.shuffle.partitions", "4");
        conf.setIfMissing("spark.sql.debug.maxToStringFields", "100"); // the summary's 27 columns, without a warning
        // the manifest, the model and the output folder are checked before Spark starts
        org.apache.hadoop.conf.Configuration hconf = new org.apache.hadoop.conf.Configuration();
        for (var kv : conf.getAllWithPrefix("spark.hadoop.")) {
            hconf.set(kv._1(), kv._2());
        }
        List<Manifest.Entry> entries = Manifest.read(manifest, hconf);
        String outUri = HadoopFiles.resolve(HadoopFiles.cwd(), out);
        while (outUri.endsWith("/") && outUri.length() > 1) {
            outUri = outUri.substring(0, outUri.length() - 1);
        }
        String modelUri = ModelStore.DEFAULT.equals(model) ? model : HadoopFiles.resolve(HadoopFiles.cwd(), model);
        ModelStore.info(ModelHolder.local(modelUri, hconf));
        FileSystem fs = HadoopFiles.fs(outUri, hconf);
        org.apache.hadoop.fs.Path op = HadoopFiles.hpath(outUri);
        if (fs.exists(op)) {
            FileStatus st = fs.getFileStatus(op);
            if (!st.isDirectory()) {
                throw new UsageException(out + ": exists and is not a folder");
            }
            if (!resume && fs.listStatus(op).length > 0) {
                throw new UsageException(out + ": folder is not empty (use --resume to continue an earlier run into it, or another --out)");
            }
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            hconf = spark.sparkContext().hadoopConfiguration();
            fs.mkdirs(op);
            SparkBatch.Settings s = new SparkBatch.Settings(outUri, modelUri, fold, threshold, quick, baseline, slicesPerTask, stacksPerWave, maxFailures,
                    new HadoopFiles.Conf(hconf));
            long t0 = System.nanoTime();
            List<SummaryRow> rows = SparkBatch.run(spark, entries, s, resume, line -> System.err.println("poreseg-spark analyze: " + line));
            SparkBatch.writeSummary(spark, rows, s);
            double secs = (System.nanoTime() - t0) / 1e9;
            int failed = 0;
            System.out.printf(Locale.ROOT, "%-24s %-6s %10s %17s  %s%n", "stack", "status", "porosity %", "interval %", "error / output");
            for (SummaryRow r : rows) {
                if (SummaryRow.OK.equals(r.status)) {
                    System.out.printf(Locale.ROOT, "%-24s %-6s %10.3f %8.3f-%-8.3f  %s%s%n", r.id, r.status, 100 * r.porosity, 100 * r.porosity_low,
                            100 * r.porosity_high, r.output, r.earlier_run ? " (earlier run)" : "");
                } else {
                    failed++;
                    System.out.printf(Locale.ROOT, "%-24s %-6s %10s %17s  %s%n", r.id, r.status, "-", "-", r.error);
                }
            }
            System.out.printf(Locale.ROOT, "%d stacks, %d failed, in %.1f s; summary: %s/%s and %s/%s%n", rows.size(), failed, secs, outUri,
                    SparkBatch.SUMMARY_CSV, outUri, SparkBatch.SUMMARY_PARQUET);
            return failed == 0 ? 0 : SparkMain.EXIT_DATA;
        } finally {
            spark.stop();
        }
    }
}

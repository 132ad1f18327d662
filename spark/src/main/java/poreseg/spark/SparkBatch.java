package poreseg.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import poreseg.io.DataException;
import poreseg.io.StackInfo;
import poreseg.io.UsageException;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.net.Segmenter;
import poreseg.workflow.Analysis;
import poreseg.workflow.Stages;
import scala.Tuple2;

/**
 * {@code poreseg-spark analyze}: many stacks through {@code poreseg analyze}'s pipeline on Spark.
 *
 * <ol>
 * <li><b>probe</b> (one task per stack): open each stack, get its shape; a stack that cannot be read
 *     is reported and left out.</li>
 * <li><b>segment</b> (one task per run of {@code slicesPerTask} slices, all stacks together): each
 *     executor loads the model once ({@link ModelHolder}) and predicts its slices exactly as
 *     {@code analyze} does ({@link Segmenter#predict}); the predictions are shuffled to their stack.</li>
 * <li><b>assemble</b> (one task per stack): the predictions are written in slice order to a local
 *     spill file and replayed into {@link Analysis#run(Analysis.Options, Stages, Consumer, Analysis.Predictions)},
 *     so the masks, measures, report.html and report.json are made by the same code as a local
 *     {@code analyze}; the output folder is published atomically as {@code OUT/stacks/ID}.</li>
 * <li><b>summary</b> (driver): summary.csv and summary.parquet (Spark SQL), one row per stack.</li>
 * </ol>
 *
 * Failures: an error that is not bad data makes the task fail, and Spark retries it (up to
 * spark.task.maxFailures attempts); on its last attempt, and for bad data (a corrupt or truncated
 * stack, an ROI of another size...) at once, the error is reported in the stack's summary row and
 * the batch goes on.
 */
public final class SparkBatch {
    /** Where the per-stack folders go, under the output folder. */
    public static final String STACKS = "stacks";
    public static final String SUMMARY_CSV = "summary.csv";
    public static final String SUMMARY_PARQUET = "summary.parquet";
    /** The summary row of a finished stack, in its folder; its presence marks the folder complete. */
    public static final String ROW_JSON = "summary.json";

    /** The batch's settings, sent with the tasks. */
    public record Settings(String out, String model, Integer fold, double threshold, boolean quick, boolean baseline, int slicesPerTask,
            int stacksPerWave, int maxFailures, HadoopFiles.Conf conf) implements Serializable {
        String stackDir(String id) {
            return out + "/" + STACKS + "/" + id;
        }
    }

    /** A run of slices of one stack: one segmentation task. */
    record Chunk(int stack, Manifest.Entry entry, int z0, int z1, Segmenter.ScaleChoice scale) implements Serializable {
    }

    /** What the probe finds: the shape and, under scale selection, the stack's scale ({@link Segmenter#chooseScale}); or the error. */
    record Probe(int stack, int depth, int width, int height, Segmenter.ScaleChoice scale, String error) implements Serializable {
    }

    private SparkBatch() {
    }

    /** Test hook: the stack id whose first segmentation attempt fails with a transient (non-data) error. */
    static final String FAIL_ONCE = "poreseg.spark.test.failOnce";
    /** Test hook: the stack id whose segmentation tasks fail on every attempt with an error Spark does not let the task report. */
    static final String FAIL_ALWAYS = "poreseg.spark.test.failAlways";

    /**
     * Runs the batch; returns every stack's row in manifest order (completed earlier ones too when
     * {@code resume}).
     */
    public static List<SummaryRow> run(SparkSession spark, List<Manifest.Entry> entries, Settings s, boolean resume, Consumer<String> log)
            throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<SummaryRow> rows = new ArrayList<>();
        List<Manifest.Entry> todo = new ArrayList<>();
        for (Manifest.Entry e : entries) {
            String row = s.stackDir(e.id()) + "/" + ROW_JSON;
            if (resume && HadoopFiles.exists(row, s.conf().get())) {
                SummaryRow r = SummaryRow.fromJson(new String(HadoopFiles.readAll(row, s.conf().get(), row + ": not found"),
                        StandardCharsets.UTF_8));
                r.index = e.index();
                r.earlier_run = true;
                rows.add(r);
            } else {
                todo.add(e);
            }
        }
        if (resume) {
            removeLeftovers(s);
        }
        int wave = s.stacksPerWave() > 0 ? s.stacksPerWave() : Math.max(2, 2 * jsc.defaultParallelism());
        log.accept(entries.size() + " stacks" + (resume ? ", " + (entries.size() - todo.size()) + " complete from an earlier run" : "")
                + ", " + todo.size() + " to analyze on " + spark.sparkContext().master() + " (" + jsc.defaultParallelism() + " cores), "
                + wave + " stacks at a time");
        // in waves: a wave's predictions wait in Spark's shuffle files until its stacks are assembled
        for (int i = 0; i < todo.size(); i += wave) {
            List<Manifest.Entry> part = todo.subList(i, Math.min(todo.size(), i + wave));
            List<SummaryRow> done;
            try {
                done = analyze(jsc, new ArrayList<>(part), s, log);
            } catch (Exception x) { // SparkException is checked in Java, thrown anyway
                // the wave's Spark job was aborted (a task failed spark.task.maxFailures times without
                // reporting, e.g. its executor died each time): its published stacks are kept, the others reported
                log.accept("the Spark job of stacks " + (i + 1) + "-" + (i + part.size()) + " failed: " + describe(x));
                done = new ArrayList<>();
                for (Manifest.Entry e : part) {
                    String row = s.stackDir(e.id()) + "/" + ROW_JSON;
                    if (HadoopFiles.exists(row, s.conf().get())) {
                        SummaryRow r = SummaryRow.fromJson(new String(HadoopFiles.readAll(row, s.conf().get(), row + ": not found"),
                                StandardCharsets.UTF_8));
                        r.index = e.index();
                        done.add(r);
                    } else {
                        done.add(SummaryRow.error(e, "Spark job failed: " + describe(x)));
                    }
                }
            }
            long failed = done.stream().filter(r -> !SummaryRow.OK.equals(r.status)).count();
            log.accept("stacks " + (i + 1) + "-" + (i + part.size()) + " of " + todo.size() + " done" + (failed > 0 ? ", " + failed + " failed" : ""));
            rows.addAll(done);
        }
        rows.sort(Comparator.comparingInt(r -> r.index));
        return rows;
    }

    /** Temporary folders of publications that an earlier, killed run left in OUT/stacks. */
    private static void removeLeftovers(Settings s) throws IOException {
        var conf = s.conf().get();
        String stacks = s.out() + "/" + STACKS;
        var fs = HadoopFiles.fs(stacks, conf);
        var p = HadoopFiles.hpath(stacks);
        if (!fs.exists(p)) {
            return;
        }
        for (var st : fs.listStatus(p)) {
            String name = st.getPath().getName();
            if (name.startsWith(".") && name.contains(".tmp-")) {
                fs.delete(st.getPath(), true);
            }
        }
    }

    private static List<SummaryRow> analyze(JavaSparkContext jsc, List<Manifest.Entry> todo, Settings s, Consumer<String> log) {
        // 1. probe
        jsc.setJobGroup("probe", "poreseg-spark: reading the stacks' shapes", false);
        List<Tuple2<Integer, Manifest.Entry>> indexed = new ArrayList<>();
        for (int i = 0; i < todo.size(); i++) {
            indexed.add(new Tuple2<>(i, todo.get(i)));
        }
        List<Probe> probes = jsc.parallelize(indexed, todo.size()).map(t -> probe(t._1(), t._2(), s)).collect();
        List<SummaryRow> rows = new ArrayList<>();
        List<Chunk> chunks = new ArrayList<>();
        List<Manifest.Entry> good = new ArrayList<>();
        List<Segmenter.ScaleChoice> scales = new ArrayList<>();
        long slices = 0;
        for (Probe p : probes) {
            Manifest.Entry e = todo.get(p.stack());
            if (p.error() != null) {
                rows.add(SummaryRow.error(e, p.error()));
                continue;
            }
            int k = good.size();
            good.add(e);
            scales.add(p.scale());
            for (int z = 0; z < p.depth(); z += s.slicesPerTask()) {
                chunks.add(new Chunk(k, e, z, Math.min(p.depth(), z + s.slicesPerTask()), p.scale()));
            }
            slices += p.depth();
        }
        if (good.isEmpty()) {
            return rows;
        }
        log.accept("segmenting " + slices + " slices of " + good.size() + " stacks in " + chunks.size() + " tasks");
        // 2. segment, shuffle to the stacks, 3. assemble and measure
        jsc.setJobGroup("analyze", "poreseg-spark: segmenting slices and measuring stacks", false);
        int n = good.size();
        JavaPairRDD<Integer, SliceRecord> predicted = jsc.parallelize(chunks, chunks.size())
                .flatMapToPair(c -> segment(c, s));
        JavaRDD<SummaryRow> assembled = predicted.partitionBy(new StackPartitioner(n))
                .mapPartitionsWithIndex((idx, it) -> assemble(good.get(idx), scales.get(idx), it, s), true);
        rows.addAll(assembled.collect());
        return rows;
    }

    /** Routes every slice of stack k to partition k. */
    static final class StackPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int stacks;

        StackPartitioner(int stacks) {
            this.stacks = stacks;
        }

        @Override
        public int numPartitions() {
            return stacks;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }
    }

    private static boolean lastAttempt(Settings s) {
        TaskContext tc = TaskContext.get();
        return tc == null || tc.attemptNumber() + 1 >= s.maxFailures();
    }

    /** A one-line message: the error's, or its first cause's that has one. */
    static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                String m = c == t ? c.getMessage() : c.getMessage() + " (" + t.getClass().getSimpleName() + ")";
                return HadoopFiles.originalNames(m.replaceAll("\\s*[\\r\\n]+\\s*", " "));
            }
        }
        return t.getClass().getSimpleName();
    }

    /** Bad data: reported at once. Anything else is retried by Spark. */
    static boolean isDataError(Throwable t) {
        return t instanceof DataException || t instanceof UsageException || t instanceof poreseg.util.ParameterException || t instanceof java.nio.file.NoSuchFileException;
    }

    private static Probe probe(int k, Manifest.Entry e, Settings s) throws IOException {
        try {
            java.nio.file.Path local = HadoopFiles.local(e.path(), s.conf().get(), HadoopFiles.display(e.path()) + ": stack not found");
            try (Volume v = Volumes.open(local)) {
                StackInfo i = v.info();
                // scale selection: the stack's scale, from a sample of its slices, as analyze chooses it
                Segmenter seg = ModelHolder.get(s.model(), s.fold(), s.conf().get()).segmenter();
                Segmenter.ScaleChoice scale = seg.selectsScale() ? seg.chooseScale(v) : null;
                return new Probe(k, i.depth(), i.width(), i.height(), scale, null);
            }
        } catch (IOException | RuntimeException x) {
            if (isDataError(x) || lastAttempt(s)) {
                return new Probe(k, 0, 0, 0, null, describe(x));
            }
            throw x;
        }
    }

    /** Segments the slices of a chunk, lazily (one slice's prediction in memory at a time). */
    private static Iterator<Tuple2<Integer, SliceRecord>> segment(Chunk c, Settings s) throws IOException {
        if (c.entry().id().equals(System.getProperty(FAIL_ALWAYS))) {
            throw new AssertionError("injected failure of every attempt (" + FAIL_ALWAYS + ")");
        }
        String failOnce = System.getProperty(FAIL_ONCE);
        if (failOnce != null && failOnce.equals(c.entry().id()) && TaskContext.get() != null && TaskContext.get().attemptNumber() == 0) {
            throw new IOException("injected transient failure (" + FAIL_ONCE + ")");
        }
        final ModelHolder.Loaded model;
        final Volume v;
        try {
            model = ModelHolder.get(s.model(), s.fold(), s.conf().get());
            java.nio.file.Path local = HadoopFiles.local(c.entry().path(), s.conf().get(), HadoopFiles.display(c.entry().path()) + ": stack not found");
            v = Volumes.open(local);
        } catch (IOException | RuntimeException x) {
            if (isDataError(x) || lastAttempt(s)) {
                return List.of(new Tuple2<>(c.stack(), SliceRecord.error(c.z0(), describe(x), isDataError(x)))).iterator();
            }
            throw x;
        }
        StackInfo info = v.info();
        // the stack's scale, chosen once in the probe (the same for every chunk of the stack)
        Segmenter seg = c.scale() == null ? model.segmenter() : model.segmenter().atScale(c.scale().factor());
        return new Iterator<>() {
            int z = c.z0();
            boolean failed;
            boolean closed;

            @Override
            public boolean hasNext() {
                boolean more = !failed && z < c.z1();
                if (!more) {
                    close();
                }
                return more;
            }

            @Override
            public Tuple2<Integer, SliceRecord> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int zz = z++;
                try {
                    long t = System.nanoTime();
                    Segmenter.Prediction p = seg.predict(v.slice(zz), info, s.threshold());
                    SliceRecord r = SliceRecord.of(zz, model.members(), p);
                    r.seconds = (System.nanoTime() - t) / 1e9;
                    return new Tuple2<>(c.stack(), r);
                } catch (IOException | RuntimeException x) {
                    if (isDataError(x) || lastAttempt(s)) {
                        failed = true;
                        return new Tuple2<>(c.stack(), SliceRecord.error(zz, describe(x), isDataError(x)));
                    }
                    close();
                    throw x instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) x;
                }
            }

            private void close() {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    v.close();
                } catch (IOException | RuntimeException x) {
                    // read-only: nothing to lose
                }
            }
        };
    }

    /** The predictions of one stack, spilled to a local file in slice order, replayed into {@link Analysis}. */
    private static final class Spill implements Analysis.Predictions, AutoCloseable {
        final FileChannel ch;
        int members;
        int pixels = -1;
        double threshold;

        final Segmenter.ScaleChoice scale;

        Spill(java.nio.file.Path file, double threshold, Segmenter.ScaleChoice scale) throws IOException {
            ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            this.threshold = threshold;
            this.scale = scale;
        }

        @Override
        public Segmenter.ScaleChoice scale() {
            return scale;
        }

        void put(SliceRecord r) throws IOException {
            if (pixels < 0) {
                pixels = r.probability.length;
                members = r.members;
            } else if (pixels != r.probability.length) {
                throw new IllegalStateException("slices of different sizes in one stack");
            }
            r.writeTo(ch);
        }

        @Override
        public int members() {
            return members;
        }

        @Override
        public Segmenter.Prediction predict(int z, float[] raw, StackInfo info, double t) throws IOException {
            if (t != threshold || raw.length != pixels) {
                throw new IllegalStateException("replayed predictions were made for threshold " + threshold + " and " + pixels + " pixels");
            }
            return SliceRecord.readFrom(ch, z, pixels);
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    private static Iterator<SummaryRow> assemble(Manifest.Entry e, Segmenter.ScaleChoice scale, Iterator<Tuple2<Integer, SliceRecord>> it,
            Settings s) throws IOException {
        long t0 = System.nanoTime();
        java.nio.file.Path work = Files.createTempDirectory("poreseg-spark-stack-");
        try {
            SliceRecord firstError = null;
            int count = 0;
            double segmentSeconds = 0;
            try (Spill spill = new Spill(work.resolve("predictions.bin"), s.threshold(), scale)) {
                while (it.hasNext()) {
                    SliceRecord r = it.next()._2();
                    if (r.isError()) {
                        if (firstError == null || r.z < firstError.z) {
                            firstError = r;
                        }
                    } else if (firstError == null) {
                        spill.put(r);
                        count++;
                        segmentSeconds += r.seconds;
                    }
                }
                if (firstError != null) {
                    // bad data, or an error that outlived the segmentation task's retries
                    return List.of(SummaryRow.error(e, firstError.error)).iterator();
                }
                try {
                    Configuration conf = s.conf().get();
                    java.nio.file.Path stack = HadoopFiles.local(e.path(), conf, HadoopFiles.display(e.path()) + ": stack not found");
                    Analysis.Roi roi = switch (e.roi()) {
                        case "none" -> Analysis.Roi.NONE;
                        case "auto" -> Analysis.Roi.AUTO;
                        default -> new Analysis.Roi(Analysis.RoiKind.FILE, HadoopFiles.local(e.roi(), conf, HadoopFiles.display(e.roi()) + ": ROI mask not found"));
                    };
                    java.nio.file.Path out = work.resolve(e.id());
                    Analysis.Options o = new Analysis.Options(stack, null, out, ModelHolder.local(s.model(), conf), s.fold(), s.threshold(),
                            roi, e.voxel(), e.unit(), s.baseline(), s.quick(), false);
                    try (Volume v = Volumes.open(stack)) {
                        if (v.info().depth() != count) {
                            throw new IllegalStateException(e.path() + ": " + count + " slices segmented of " + v.info().depth());
                        }
                    }
                    Analysis.Result res = Analysis.run(o, Stages.NONE, w -> { }, spill);
                    String target = s.stackDir(e.id());
                    SummaryRow row = SummaryRow.ok(e, res, target, segmentSeconds, (System.nanoTime() - t0) / 1e9);
                    Files.writeString(out.resolve(ROW_JSON), row.toJson());
                    renamePaths(out, HadoopFiles.display(target));
                    HadoopFiles.publish(out, target, conf);
                    return List.of(row).iterator();
                } catch (IOException | RuntimeException x) {
                    if (isDataError(x) || lastAttempt(s)) {
                        return List.of(SummaryRow.error(e, describe(x))).iterator();
                    }
                    throw x;
                }
            }
        } finally {
            HadoopFiles.deleteTree(work);
        }
    }

    /**
     * The report names the files where they were made (the task's local folder, local copies of
     * remote inputs); make it name them where they will be: the published folder and the user's files.
     */
    private static void renamePaths(java.nio.file.Path out, String published) throws IOException {
        for (String f : new String[] {"report.json", "report.html"}) {
            java.nio.file.Path p = out.resolve(f);
            if (Files.isRegularFile(p)) {
                String text = Files.readString(p, StandardCharsets.UTF_8);
                String renamed = HadoopFiles.originalNames(text.replace(out.toString(), published));
                if (!renamed.equals(text)) {
                    Files.writeString(p, renamed, StandardCharsets.UTF_8);
                }
            }
        }
    }

    /** Writes summary.csv (one file, atomically) and summary.parquet (Spark SQL) into the output folder. */
    public static void writeSummary(SparkSession spark, List<SummaryRow> rows, Settings s) throws IOException {
        StringBuilder csv = new StringBuilder(SummaryRow.csvHeader()).append('\n');
        for (SummaryRow r : rows) {
            csv.append(r.csvLine()).append('\n');
        }
        HadoopFiles.writeAll(s.out() + "/" + SUMMARY_CSV, csv.toString().getBytes(StandardCharsets.UTF_8), s.conf().get());
        List<Row> data = new ArrayList<>();
        for (SummaryRow r : rows) {
            data.add(r.toRow());
        }
        Dataset<Row> df = spark.createDataFrame(data, SummaryRow.schema());
        df.coalesce(1).write().mode(SaveMode.Overwrite).parquet(s.out() + "/" + SUMMARY_PARQUET);
    }

}

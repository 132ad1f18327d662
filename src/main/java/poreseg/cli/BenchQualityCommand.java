package poreseg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.net.EpochMetrics;
import poreseg.net.Evaluator;
import poreseg.net.ModelInfo;
import poreseg.net.ModelStore;
import poreseg.net.Network;
import poreseg.net.Precision;
import poreseg.net.Segmenter;
import poreseg.core.Histogram;
import poreseg.threshold.AutoThreshold;
import poreseg.util.ProgressListener;

@Command(name = "quality", mixinStandardHelpOptions = true,
        description = "Segmentation quality of trained models (and Otsu) on a held-out labelled stack: "
            + "accuracy, precision, recall, F1 and IoU of the pore class, MSE of the probabilities.")
final class BenchQualityCommand implements Callable<Integer> {
    @Option(names = "--test", required = true, paramLabel = "IMAGES:MASKS", description = "Held-out images and truth masks.")
    String test;

    @Option(names = "--model", paramLabel = "MODEL_DIR", description = "Model to score ('default' for the bundled one); repeatable.")
    List<String> models = new ArrayList<>();

    @Option(names = "--otsu", description = "Also score a global Otsu threshold of the raw stack (pores darker).")
    boolean otsu;

    @Option(names = "--pore-value", paramLabel = "V", description = "Truth value that means pore (for masks with more than two values).")
    Float poreValue;

    @Mixin SharedOptions.TileBatch batchOption = new SharedOptions.TileBatch();

    @Mixin SharedOptions.InferencePrecision precisionOption = new SharedOptions.InferencePrecision();

    @Mixin SharedOptions.BenchJson output = new SharedOptions.BenchJson();

    @Override
    public Integer call() throws Exception {
        int i = test.lastIndexOf(':');
        if (i <= 0 || i == test.length() - 1) {
            throw new UsageException("--test must be IMAGES:MASKS, got '" + test + "'");
        }
        if (models.isEmpty() && !otsu) {
            throw new UsageException("nothing to score: give --model and/or --otsu");
        }
        Precision pr = precisionOption.get();
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Volume img = Volumes.open(Path.of(test.substring(0, i))); Volume truth = Volumes.open(Path.of(test.substring(i + 1)))) {
            ProgressListener p = output.json ? ProgressListener.NONE : new ConsoleProgress("scoring");
            for (String m : models) {
                try (Network net = ModelStore.load(m)) {
                    net.precision(pr);
                    ModelInfo info = net.info();
                    long t0 = System.nanoTime();
                    // with scale selection, the test stack's one scale, as segment and analyze choose it
                    Segmenter seg = Segmenter.of(net, batchOption.batch).forStack(img, ProgressListener.NONE).segmenter();
                    EpochMetrics e = Evaluator.evaluate(seg, img, truth, poreValue, p);
                    rows.add(row(m, net.architecture() + (net.precision() != Precision.FP32 ? " " + net.precision().label() : ""), info.preprocessing, e, (System.nanoTime() - t0) / 1e9));
                }
            }
            if (otsu) {
                long t0 = System.nanoTime();
                double t = AutoThreshold.otsu(Histogram.of(img, 256, ProgressListener.NONE));
                EpochMetrics e = Evaluator.evaluate(z -> {
                    float[] s = img.slice(z);
                    float[] q = new float[s.length];
                    for (int k = 0; k < s.length; k++) {
                        q[k] = s[k] <= t ? 1f : 0f;
                    }
                    return q;
                }, truth, poreValue, p);
                Map<String, Object> r = row("otsu", "otsu (threshold " + String.format(Locale.ROOT, "%.6g", t) + ")", "none", e, (System.nanoTime() - t0) / 1e9);
                rows.add(r);
            }
        }
        if (output.json) {
            System.out.println(Json.write(Map.of("test", test, "results", rows)));
        } else {
            System.out.printf(Locale.ROOT, "%-28s %-22s %-10s %8s %8s %8s %8s %8s %8s%n", "model", "method", "preproc", "accuracy", "precis.", "recall", "F1", "IoU", "MSE");
            for (Map<String, Object> r : rows) {
                System.out.printf(Locale.ROOT, "%-28s %-22s %-10s %8.4f %8.4f %8.4f %8.4f %8.4f %8.5f%n", r.get("model"), r.get("method"), r.get("preprocessing"),
                        r.get("accuracy"), r.get("precision"), r.get("recall"), r.get("f1"), r.get("iou"), r.get("mse"));
            }
        }
        return 0;
    }

    private static Map<String, Object> row(String model, String method, String pre, EpochMetrics e, double secs) {
        Map<String, Object> r = new LinkedHashMap<>();
        ModelInfo.Scores s = e.scores();
        r.put("model", model);
        r.put("method", method);
        r.put("preprocessing", pre);
        r.put("accuracy", s.accuracy);
        r.put("precision", s.precision);
        r.put("recall", s.recall);
        r.put("f1", s.f1);
        r.put("iou", s.iou);
        r.put("mse", s.mse);
        r.put("seconds", secs);
        return r;
    }
}

package poreseg.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import poreseg.io.DataException;
import poreseg.io.OutputFiles;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.net.Architecture;
import poreseg.net.MaskEncoding;
import poreseg.net.ModelInfo;
import poreseg.net.ModelStore;
import poreseg.net.NetTrainer;
import poreseg.net.Network;
import poreseg.net.PatchSampler;
import poreseg.net.Preprocessing;
import poreseg.net.Segmenter;
import poreseg.net.TrainOptions;
import poreseg.net.TrainingData;
import poreseg.preprocess.Pipeline;
import poreseg.threshold.AutoThreshold;
import poreseg.util.ParameterException;

/**
 * The paper's experiment on the user's labelled stack: preprocessing variants (raw, stretch,
 * equalize) x CNN architectures, trained with k-fold cross-validation over contiguous blocks of
 * slices, plus the digital-threshold baseline. Every CNN score and 3D measure is honest: each slice
 * is segmented by the fold model that did not train on it (out-of-fold prediction), and those
 * out-of-fold masks are what is scored and measured.
 */
public final class Study {
    /** Parameters; see {@code poreseg study --help}. */
    public record Options(Path images, Path masks, Path out, int folds, int epochs, List<String> archs,
            List<String> preprocessing, int batch, int patch, int steps, long seed, Float poreValue, boolean quick, boolean force) {
        public Options {
            if (folds < 2) {
                throw new ParameterException("study needs {folds} >= 2 so that every slice is predicted by a model that did not see it");
            }
            if (archs.isEmpty() || preprocessing.isEmpty()) {
                throw new ParameterException("study needs at least one architecture and one preprocessing variant");
            }
        }
    }

    /** Mean over folds, per epoch, of the training and validation (test) scores. */
    public record Curves(double[] epochs, Map<String, double[]> train, Map<String, double[]> test) {
    }

    /** One trained CNN variant: its fold scores at the best epoch, learning curves and out-of-fold segmentation. */
    public record CnnVariant(String name, String arch, String preprocessing, Path modelDir, long parameters,
            ModelInfo.Scores trainMean, ModelInfo.Scores testMean, List<ModelInfo.Scores> testFolds, Curves curves, Variant segmentation) {
    }

    public record Result(Path report, StackInfo info, Variant truth, List<Variant> baselines, List<CnnVariant> cnns) {
    }

    private Study() {
    }

    public static Result run(Options o, Stages stages) throws IOException {
        OutputFiles.prepareFolder(o.out(), o.force(), o.images(), o.masks());
        Path segDir = o.out().resolve("segmentations");
        Files.createDirectories(segDir);
        try (Volume image = Volumes.open(o.images()); Volume masks = Volumes.open(o.masks())) {
            StackInfo info = image.info();
            if (!masks.info().sameShape(info)) {
                throw new DataException(o.masks() + ": masks are " + masks.info().shape() + " but the images are " + info.shape());
            }
            if (info.depth() < o.folds()) {
                throw new DataException(o.images() + ": " + info.depth() + " slices cannot be split into " + o.folds() + " folds");
            }
            StackInfo maskInfo = info.withType(PixelType.U8);
            MaskEncoding enc = MaskEncoding.detect(masks, o.poreValue());
            Path truthPath = segDir.resolve("ground_truth.tif");
            TiffWriter.write(truthPath, maskInfo, z -> scale255(enc.binarize(masks.slice(z))), stages.stage("ground truth"));
            Variant truth = Variants.measure("ground truth", truthPath, null, null, null, !o.quick(), stages);

            List<Variant> baselines = new ArrayList<>();
            Volume pre = Pipeline.parse(Demo.THRESHOLD_PREPROCESSING).view(image, true);
            ThresholdBaseline otsu = ThresholdBaseline.of(pre, AutoThreshold.Method.OTSU, stages.stage("threshold: histogram"));
            Path otsuPath = segDir.resolve("threshold_otsu.tif");
            TiffWriter.write(otsuPath, maskInfo, otsu.masks(), stages.stage("threshold: masks"));
            baselines.add(Variants.measure("threshold (Otsu)", otsuPath, null, truthPath, null, !o.quick(), stages));

            List<CnnVariant> cnns = new ArrayList<>();
            for (String p : o.preprocessing()) {
                for (String a : o.archs()) {
                    cnns.add(trainVariant(o, image, masks, truthPath, Architecture.parse(a, null, null), p, stages));
                }
            }
            Path report = StudyReport.write(o, image, truth, baselines, cnns, otsu.threshold(), stages);
            return new Result(report, info, truth, baselines, cnns);
        }
    }

    private static CnnVariant trainVariant(Options o, Volume image, Volume masks, Path truthPath, Architecture arch, String preSpec,
            Stages stages) throws IOException {
        Preprocessing pre = Preprocessing.parse(preSpec);
        String label = preLabel(pre.spec());
        String name = arch.name() + " / " + label;
        Path modelDir = o.out().resolve("models").resolve(arch.name() + "-" + label);
        TrainingData data = TrainingData.load(image, masks, pre, o.poreValue(), stages.stage("loading " + name));
        int patch = Math.min(o.patch(), Math.min(data.width(), data.height()) / arch.multiple() * arch.multiple());
        boolean augment = arch.type().studyAugmentation();
        TrainOptions t = new TrainOptions(arch, o.epochs(), o.batch(), 1e-3, o.folds(), patch, augment, PatchSampler.Geometry.NONE, "bce", o.seed(), o.steps(), false);
        List<NetTrainer.HistoryRow> rows = new ArrayList<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("images", o.images().toString());
        summary.put("masks", o.masks().toString());
        ModelInfo info = new NetTrainer(t, stages.stage("training " + name), rows::add).train(data, null, modelDir, pre, summary);

        // out-of-fold prediction: fold f's model segments the slices it was validated on (NetTrainer's contiguous blocks)
        int n = image.info().depth();
        Path probPath = o.out().resolve("segmentations").resolve(slug(name) + "_probability.tif");
        Network[] nets = new Network[o.folds()];
        Segmenter[] segs = new Segmenter[o.folds()];
        try {
            for (int f = 0; f < o.folds(); f++) {
                nets[f] = ModelStore.load(modelDir.resolve("fold-" + f));
                segs[f] = Segmenter.of(nets[f], 8);
            }
            TiffWriter.write(probPath, image.info().withType(PixelType.F32), z -> segs[foldOf(z, n, o.folds())].probability(image, z),
                    stages.stage("out-of-fold segmentation " + name));
        } finally {
            for (Network net : nets) {
                if (net != null) {
                    net.close();
                }
            }
        }
        Path maskPath = o.out().resolve("segmentations").resolve(slug(name) + ".tif");
        try (Volume prob = Volumes.open(probPath)) {
            TiffWriter.write(maskPath, image.info().withType(PixelType.U8),
                    Segmenter.masks(prob, 0.5), stages.stage("masks " + name));
        }
        Variant seg = Variants.measure("CNN " + name, maskPath, probPath, truthPath, null, !o.quick(), stages);

        List<ModelInfo.Scores> trainFolds = new ArrayList<>();
        for (ModelInfo.Scores s : info.folds) {
            for (NetTrainer.HistoryRow r : rows) {
                if (s.fold != null && r.fold() == s.fold && s.epoch != null && r.epoch() == s.epoch) {
                    trainFolds.add(r.train());
                }
            }
        }
        return new CnnVariant(name, arch.name(), pre.spec(), modelDir, info.parameters,
                trainFolds.isEmpty() ? null : ModelInfo.Scores.mean(trainFolds), info.foldMean, info.folds, curves(rows, o.epochs()), seg);
    }

    /** The fold whose validation block holds slice z (same arithmetic as NetTrainer's k-fold split). */
    static int foldOf(int z, int n, int folds) {
        for (int f = 0; f < folds; f++) {
            long to = (long) n * (f + 1) / folds;
            if (z < to) {
                return f;
            }
        }
        return folds - 1;
    }

    static Curves curves(List<NetTrainer.HistoryRow> rows, int epochs) {
        double[] x = new double[epochs];
        Map<String, double[]> train = new LinkedHashMap<>();
        Map<String, double[]> test = new LinkedHashMap<>();
        for (String k : new String[] {"accuracy", "f1", "mse"}) {
            train.put(k, new double[epochs]);
            test.put(k, new double[epochs]);
        }
        int[] count = new int[epochs];
        for (NetTrainer.HistoryRow r : rows) {
            int e = r.epoch() - 1;
            if (e < 0 || e >= epochs) {
                continue;
            }
            count[e]++;
            train.get("accuracy")[e] += r.train().accuracy;
            train.get("f1")[e] += r.train().f1;
            train.get("mse")[e] += r.train().mse;
            test.get("accuracy")[e] += r.val().accuracy;
            test.get("f1")[e] += r.val().f1;
            test.get("mse")[e] += r.val().mse;
        }
        for (int e = 0; e < epochs; e++) {
            x[e] = e + 1;
            for (Map<String, double[]> m : List.of(train, test)) {
                for (double[] v : m.values()) {
                    v[e] = count[e] == 0 ? Double.NaN : v[e] / count[e];
                }
            }
        }
        return new Curves(x, train, test);
    }

    static String preLabel(String spec) {
        return spec.equals("none") || spec.isEmpty() ? "raw" : spec.replaceAll("[^A-Za-z0-9.=-]+", "+");
    }

    static String slug(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    private static float[] scale255(float[] binary) {
        for (int i = 0; i < binary.length; i++) {
            binary[i] = binary[i] > 0.5f ? 255f : 0f;
        }
        return binary;
    }
}

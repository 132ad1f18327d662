package poreseg.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.net.Architecture;
import poreseg.net.EpochMetrics;
import poreseg.net.MaskEncoding;
import poreseg.net.ModelCalibration;
import poreseg.net.ModelStore;
import poreseg.net.NetTrainer;
import poreseg.net.Network;
import poreseg.net.Precision;
import poreseg.net.Preprocessing;
import poreseg.net.Segmenter;
import poreseg.net.TrainOptions;
import poreseg.net.TrainingData;
import poreseg.core.Histogram;
import poreseg.core.Masks;
import poreseg.synth.Appearance;
import poreseg.synth.SynthGenerator;
import poreseg.synth.SynthParams;
import poreseg.synth.SynthSlice;
import poreseg.synth.SynthVolume;
import poreseg.threshold.AutoThreshold;
import poreseg.util.ParameterException;
import poreseg.view.FineTune;

/**
 * The few-label benchmark: what a user with 1-3 labelled slices of their own gets. On 256x256 crops of
 * three slices of each real labelled set with a pore-like class in ../shared/datasets it trains with
 * the defaults of {@code poreseg train} (in-process, the same library calls) and scores, out of sample
 * and in eval mode exactly as {@code segment} runs:
 * <ul>
 * <li>{@code loo}: train from scratch on two slices, test on the third, all three ways round (dense labels);
 * <li>{@code scribble}: the same with scribble-like labels: each class eroded by 3 px and kept only
 *     on thin diagonal strokes (about 5 % of the pixels), the rest unlabelled;
 * <li>{@code loo-init}: as {@code loo}, but fine-tuning the bundled model ({@code train --init default},
 *     what {@code train} does by default) on the two slices instead of training from scratch;
 * <li>{@code scribble-init}: as {@code loo-init} with the scribble labels of {@code scribble};
 * <li>{@code view}: the same scribbles, fine-tuned as {@code poreseg view}'s "fine-tune" button does
 *     ({@link poreseg.view.FineTune#options}: its epochs and steps, one fold validated on the strokes);
 * <li>{@code view-box}: as {@code view}, plus a {@link #BOX} x {@link #BOX} box labelled whole on each
 *     training slice ({@link #withBox}), which calibrates the porosity interval;
 * <li>{@code loo-all}: as {@code loo-init}, one model on all the labels ({@code train --folds 0});
 * <li>{@code init}: fine-tune the bundled model on one slice, test on the other two; beside it the
 *     bundled model zero-shot;
 * <li>{@code calibrate}: the bundled model with its threshold matched to the porosity of one slice
 *     ({@code poreseg calibrate}, no training), tested on the other two;
 * <li>{@code otsu}: a global Otsu threshold of each test slice, the polarity (pores dark or bright)
 *     taken from the training labels.
 * </ul>
 * For every test slice: pore F1, true and predicted porosity, the porosity interval, and the
 * training wall time.
 */
public final class FewLabelBench {
    public static final int CROP = 256;

    /** One labelled crop: raw grey values and labels (1 pore, 0 solid, -1 unlabelled). */
    public record Slice(String name, float[] raw, float[] label, PixelType type) {
        double porosity() {
            return MaskEncoding.LabelCounts.of(label).poreFraction();
        }
    }

    /** A labelled set: three crops from different slices (or far-apart places of one image). */
    public record LabelledSet(String name, String description, List<Slice> slices) {
    }

    /** One scored test slice. */
    public record Row(String set, String protocol, String method, String train, String test, double f1, double truePorosity,
            double porosity, double low, double high, double seconds) {
        public boolean covered() {
            return truePorosity >= low && truePorosity <= high;
        }
    }

    private FewLabelBench() {
    }

    /** The synthetic set that needs no data folder. */
    public static final String SHINE = "shine";

    /** The appearance of {@link #SHINE}: back walls seen through the pores as bright as solid. */
    public static final String SHINE_APPEARANCE = "wallGain=1.3";

    /**
     * The sets among {@code names}: catalyst, sandstone, membrane and epfl when found under
     * {@code datasets}; {@link #SHINE} always (rendered here).
     */
    public static List<LabelledSet> load(Path datasets, List<String> names) throws IOException {
        List<LabelledSet> out = new ArrayList<>();
        for (String n : names) {
            switch (n) {
                case "catalyst" -> {
                    Path d = datasets.resolve("catalyst-stem");
                    if (Files.isDirectory(d)) {
                        List<Slice> s = new ArrayList<>();
                        for (String f : List.of("train_000.tif", "train_020.tif", "train_040.tif")) {
                            s.add(crop(d.resolve("image").resolve(f), d.resolve("mask").resolve(f), v -> v == 0, -1, -1, f));
                        }
                        out.add(new LabelledSet(n, "catalyst-stem HAADF-STEM, pore = mask 0, of train_000/020/040 the crop (on a 64-px grid) whose pore fraction is nearest 0.3", s));
                    }
                }
                case "sandstone" -> {
                    Path d = datasets.resolve("sandstone-xrm");
                    if (Files.isDirectory(d)) {
                        List<Slice> s = new ArrayList<>();
                        for (String f : List.of("Sandstone_Versa0000.tif", "Sandstone_Versa0200.tif", "Sandstone_Versa0400.tif")) {
                            Path mask = firstMatching(d.resolve("derived").resolve("pore_binary"), f.replace(".tif", ""));
                            s.add(crop(d.resolve("images").resolve(f), mask, v -> v > 127, 370, 384, f));
                        }
                        out.add(new LabelledSet(n, "sandstone-xrm micro-CT, pore = derived/pore_binary 255, crops at (370,384) inside the sample", s));
                    }
                }
                case "membrane" -> {
                    Path d = datasets.resolve("membrane-pores");
                    if (Files.isDirectory(d)) {
                        List<Slice> s = new ArrayList<>();
                        int[][] at = {{0, 0}, {262, 0}, {0, 262}};
                        for (int[] a : at) {
                            s.add(crop(d.resolve("1.tif"), d.resolve("1_ground_truth.tif"), v -> v == 127, a[0], a[1], "1.tif@" + a[0] + "," + a[1]));
                        }
                        out.add(new LabelledSet(n, "membrane-pores 1.tif, pore = 127, three disjoint crops of one image", s));
                    }
                }
                case "epfl" -> {
                    Path d = datasets.resolve("epfl-fibsem-mito").resolve("train");
                    if (Files.isDirectory(d)) {
                        List<Path> imgs;
                        try (Stream<Path> st = Files.list(d.resolve("image"))) {
                            imgs = st.sorted(Comparator.comparing(Path::toString)).toList();
                        }
                        List<Slice> s = new ArrayList<>();
                        for (int i : new int[] {0, 12, 24}) {
                            Path img = imgs.get(i);
                            s.add(crop(img, d.resolve("mask").resolve(img.getFileName()), v -> v >= 128, 384, 256, img.getFileName().toString()));
                        }
                        out.add(new LabelledSet(n, "epfl-fibsem-mito FIB-SEM, foreground = mitochondria, crops at (384,256) of slices 0/12/24", s));
                    }
                }
                case SHINE -> out.add(shineThrough());
                default -> throw new ParameterException("unknown set '" + n + "' (catalyst, sandstone, membrane, epfl, " + SHINE + ")");
            }
        }
        return out;
    }

    /**
     * Slices 0, 3 and 6 of {@code poreseg synth --size 256 --slices 7 --voxel 9,9,15 --porosity 0.26
     * --seed 81 --appearance wallGain=1.3}: the fixed model with back walls as bright as solid, where
     * the bundled model misses pores zero-shot (docs/net.md, "Shine-through").
     */
    static LabelledSet shineThrough() {
        SynthParams p = SynthParams.defaults().withSize(CROP).withSlices(7).withPorosity(0.26).withSeed(81)
                .withAppearance(Appearance.DEFAULT.with(SHINE_APPEARANCE));
        SynthVolume v = new SynthGenerator().generate(p);
        List<Slice> s = new ArrayList<>();
        for (int z : new int[] {0, 3, 6}) {
            SynthSlice sl = v.slice(z);
            float[] l = new float[CROP * CROP];
            float[] t = sl.truth();
            for (int i = 0; i < l.length; i++) {
                l[i] = t[i] == Masks.PORE ? 1f : 0f;
            }
            s.add(new Slice("synth-81-z" + z, sl.image(), l, PixelType.U16));
        }
        return new LabelledSet(SHINE, "poreseg synth --size 256 --slices 7 --voxel 9,9,15 --porosity 0.26 --seed 81 --appearance " + SHINE_APPEARANCE
                + " (back walls as bright as solid), slices 0/3/6", s);
    }

    private static Path firstMatching(Path dir, String stem) throws IOException {
        try (Stream<Path> st = Files.list(dir)) {
            return st.filter(p -> p.getFileName().toString().startsWith(stem)).findFirst()
                    .orElseThrow(() -> new IOException(dir + ": no mask for " + stem));
        }
    }

    private static Slice crop(Path image, Path mask, IntPredicate pore, int x0, int y0, String name) throws IOException {
        try (Volume vi = Volumes.open(image); Volume vm = Volumes.open(mask)) {
            StackInfo a = vi.info();
            float[] img = vi.slice(0);
            float[] msk = vm.slice(0);
            if (x0 < 0) {
                // the grid crop whose pore fraction is nearest 0.3 (a centre crop can be all pore or all solid)
                double best = Double.POSITIVE_INFINITY;
                for (int y = 0; y + CROP <= a.height(); y += 64) {
                    for (int x = 0; x + CROP <= a.width(); x += 64) {
                        long p = 0;
                        for (int yy = y; yy < y + CROP; yy++) {
                            for (int xx = x; xx < x + CROP; xx++) {
                                p += pore.test(Math.round(msk[yy * a.width() + xx])) ? 1 : 0;
                            }
                        }
                        double d = Math.abs((double) p / (CROP * CROP) - 0.3);
                        if (d < best) {
                            best = d;
                            x0 = x;
                            y0 = y;
                        }
                    }
                }
                name = name + "@" + x0 + "," + y0;
            }
            float[] r = new float[CROP * CROP];
            float[] l = new float[CROP * CROP];
            for (int y = 0; y < CROP; y++) {
                for (int x = 0; x < CROP; x++) {
                    int src = (y0 + y) * a.width() + x0 + x;
                    r[y * CROP + x] = img[src];
                    l[y * CROP + x] = pore.test(Math.round(msk[src])) ? 1f : 0f;
                }
            }
            return new Slice(name, r, l, a.type());
        }
    }

    /**
     * Scribble-like labels: each class eroded by {@code erode} px (a pixel keeps its label only when
     * its whole (2e+1)^2 neighbourhood has it), kept on diagonal strokes one pixel wide every
     * {@code stride} pixels in both directions; everything else unlabelled.
     */
    public static float[] scribble(float[] label, int w, int h, int erode, int stride) {
        float[] out = new float[label.length];
        Arrays.fill(out, MaskEncoding.UNLABELLED);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (Math.floorMod(x + y, stride) != 0 && Math.floorMod(x - y, stride) != 0) {
                    continue;
                }
                float v = label[y * w + x];
                boolean same = true;
                for (int dy = -erode; dy <= erode && same; dy++) {
                    for (int dx = -erode; dx <= erode; dx++) {
                        int yy = Math.min(h - 1, Math.max(0, y + dy));
                        int xx = Math.min(w - 1, Math.max(0, x + dx));
                        if (label[yy * w + xx] != v) {
                            same = false;
                            break;
                        }
                    }
                }
                if (same) {
                    out[y * w + x] = v;
                }
            }
        }
        return out;
    }

    /** How the training crops are labelled. */
    private enum Labels {
        DENSE, SCRIBBLE, SCRIBBLE_AND_BOX
    }

    /** Side of the box labelled whole in {@code view-box}: 1/16 of a crop. */
    static final int BOX = 64;

    /**
     * {@code strokes} with a {@code side} x {@code side} box of {@code truth} labelled whole, where a user
     * would put it: of the positions on a {@code side / 2} grid, the one with the most pixels on a
     * pore/solid edge.
     */
    public static float[] withBox(float[] strokes, float[] truth, int w, int h, int side) {
        int bx = 0;
        int by = 0;
        long best = -1;
        for (int y0 = 0; y0 + side <= h; y0 += side / 2) {
            for (int x0 = 0; x0 + side <= w; x0 += side / 2) {
                long e = 0;
                for (int y = y0; y < y0 + side; y++) {
                    for (int x = x0; x < x0 + side - 1; x++) {
                        e += truth[y * w + x] != truth[y * w + x + 1] ? 1 : 0;
                    }
                }
                if (e > best) {
                    best = e;
                    bx = x0;
                    by = y0;
                }
            }
        }
        float[] out = strokes.clone();
        for (int y = by; y < by + side; y++) {
            System.arraycopy(truth, y * w + bx, out, y * w + bx, side);
        }
        return out;
    }

    /**
     * Settings of one benchmark run; {@code training} replaces the defaults of every training (from
     * scratch or fine-tuning) where it is given; {@code precision} is that of training and of scoring
     * (as {@code train --precision} and {@code segment --precision}).
     */
    public record Options(List<String> protocols, String preprocessing, TrainOptions.Overrides training, Path work,
            java.util.function.Consumer<String> log, Precision precision) {
    }

    public static List<Row> run(LabelledSet set, Options opt) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<Slice> s = set.slices();
        int n = s.size();
        for (String protocol : opt.protocols()) {
            switch (protocol) {
                case "otsu" -> {
                    for (int i = 0; i < n; i++) {
                        rows.add(otsu(set, s, i));
                    }
                }
                case "zero-shot" -> {
                    for (int i = 0; i < n; i++) {
                        rows.add(score(opt.precision(), set.name(), protocol, "bundled model", "-", s.get(i), ModelStore.DEFAULT, 0));
                    }
                }
                case "loo", "scribble", "loo-init", "loo-all", "scribble-init", "view", "view-box" -> {
                    boolean view = protocol.startsWith("view");
                    Labels labels = protocol.equals("view-box") ? Labels.SCRIBBLE_AND_BOX : protocol.startsWith("scribble") || view ? Labels.SCRIBBLE : Labels.DENSE;
                    String init = protocol.endsWith("-init") || protocol.equals("loo-all") || view ? ModelStore.DEFAULT : null;
                    String method = view ? "view's fine-tuning of the bundled model, scribbles" + (labels == Labels.SCRIBBLE_AND_BOX ? " and a box labelled whole" : "")
                            : protocol.equals("loo-all") ? "fine-tuned bundled model, one model on all labels (--folds 0)"
                            : (init != null ? "fine-tuned bundled model (2 labelled slices)" : "unet from scratch") + (labels == Labels.SCRIBBLE ? ", scribbles" : "");
                    for (int i = 0; i < n; i++) {
                        List<Slice> train = new ArrayList<>(s);
                        Slice test = train.remove(i);
                        Path dir = opt.work().resolve(set.name() + "-" + protocol + "-" + i);
                        double secs = train(train, labels, init, view, protocol.equals("loo-all") ? 0 : null, dir, opt);
                        rows.add(score(opt.precision(), set.name(), protocol, method, names(train), test, dir.toString(), secs));
                    }
                }
                case "init" -> {
                    for (int i = 0; i < n; i++) {
                        Path dir = opt.work().resolve(set.name() + "-init-" + i);
                        double secs = train(List.of(s.get(i)), Labels.DENSE, ModelStore.DEFAULT, false, null, dir, opt);
                        for (int j = 0; j < n; j++) {
                            if (j != i) {
                                rows.add(score(opt.precision(), set.name(), protocol, "fine-tuned bundled model", s.get(i).name(), s.get(j), dir.toString(), secs));
                            }
                        }
                    }
                }
                case "calibrate" -> {
                    for (int i = 0; i < n; i++) {
                        Path dir = opt.work().resolve(set.name() + "-calibrate-" + i);
                        double secs = calibrate(s.get(i), dir, opt);
                        for (int j = 0; j < n; j++) {
                            if (j != i) {
                                rows.add(score(opt.precision(), set.name(), protocol, "calibrated bundled model", s.get(i).name(), s.get(j), dir.toString(), secs));
                            }
                        }
                    }
                }
                default -> throw new ParameterException("unknown protocol '" + protocol + "' (otsu, zero-shot, loo, loo-init, loo-all, scribble, scribble-init, view, view-box, init, calibrate)");
            }
        }
        return rows;
    }

    private static String names(List<Slice> s) {
        return String.join("+", s.stream().map(Slice::name).toList());
    }

    /**
     * Trains on {@code slices} from scratch or from {@code init}; {@code view}: with the viewer's
     * fine-tuning options, validated on the training labels as the viewer does; {@code folds}: that
     * many folds instead of the recipe's (null).
     */
    private static double train(List<Slice> slices, Labels kind, String init, boolean view, Integer folds, Path dir, Options opt) throws IOException {
        Architecture arch = init != null ? ModelStore.info(init).arch() : Architecture.unet();
        FineTune.Settings viewer = FineTune.Settings.defaults();
        TrainOptions d = view ? FineTune.options(arch, Math.min(CROP, viewer.patch()), viewer)
                : init != null ? TrainOptions.fineTuning(arch) : TrainOptions.defaults(arch);
        TrainOptions o = folds == null ? d.with(opt.training()) : d.with(opt.training()).withFolds(folds);
        Preprocessing pre = init != null ? Preprocessing.of(ModelStore.info(init)) : Preprocessing.parse(opt.preprocessing());
        opt.log().accept("  " + o);
        List<float[]> imgs = new ArrayList<>();
        List<float[]> labels = new ArrayList<>();
        double labelled = 0;
        for (Slice s : slices) {
            imgs.add(pre.networkInput(s.raw(), CROP, CROP, s.type()));
            float[] l = switch (kind) {
                case DENSE -> s.label();
                case SCRIBBLE -> scribble(s.label(), CROP, CROP, 3, 24);
                case SCRIBBLE_AND_BOX -> withBox(scribble(s.label(), CROP, CROP, 3, 24), s.label(), CROP, CROP, BOX);
            };
            labels.add(l);
            long k = 0;
            for (float v : l) {
                k += v >= 0 ? 1 : 0;
            }
            labelled += (double) k / l.length / slices.size();
        }
        TrainingData data = new TrainingData(CROP, CROP, imgs, labels, names(slices));
        poreseg.io.OutputFiles.deleteTree(dir);
        long t0 = System.nanoTime();
        NetTrainer t = new NetTrainer(o, (a, b) -> { }, r -> { }).precision(opt.precision());
        if (init != null) {
            t.initFrom(init);
        }
        t.train(data, view ? data : null, dir, pre, Map.of("images", names(slices)));
        double secs = (System.nanoTime() - t0) / 1e9;
        opt.log().accept(String.format(Locale.ROOT, "  trained on %s (%s, %.1f %% labelled, %d epochs, preprocessing %s) in %.0f s", names(slices),
                init != null ? "fine-tuning " + init : "from scratch", 100 * labelled, o.epochs(), pre.describe(), secs));
        return secs;
    }

    /** The bundled model calibrated on one labelled crop ({@code poreseg calibrate}), written into {@code dir}; returns the seconds taken. */
    private static double calibrate(Slice slice, Path dir, Options opt) throws IOException {
        long t0 = System.nanoTime();
        StackInfo info = new StackInfo(CROP, CROP, 1, slice.type(), Calibration.NONE);
        Volume img = new poreseg.io.ArrayVolume(info, List.of(slice.raw()), slice.name());
        Volume lab = new poreseg.io.ArrayVolume(info.withType(PixelType.F32), List.of(slice.label()), slice.name() + " labels");
        ModelCalibration.Result r = ModelCalibration.calibrate(ModelStore.DEFAULT, img, lab, MaskEncoding.detect(lab, 1f, MaskEncoding.UNLABELLED),
                opt.precision(), poreseg.util.ProgressListener.NONE);
        poreseg.io.OutputFiles.deleteTree(dir);
        ModelCalibration.write(r, dir, true);
        double secs = (System.nanoTime() - t0) / 1e9;
        opt.log().accept(String.format(Locale.ROOT, "  calibrated the bundled model on %s: threshold %s, in %.1f s", slice.name(),
                poreseg.net.PorosityCalibration.formatThreshold(r.medianThreshold()), secs));
        return secs;
    }

    private static Row score(Precision precision, String set, String protocol, String method, String train, Slice test, String model, double secs) throws IOException {
        List<Network> nets = ModelStore.loadMembers(model, null);
        nets.forEach(n -> n.precision(precision));
        try {
            Segmenter seg = Segmenter.of(nets, null, null, 8);
            Segmenter.Prediction p = seg.predict(test.raw(), new StackInfo(CROP, CROP, 1, test.type(), Calibration.NONE), 0.5);
            double px = p.pixels();
            return new Row(set, protocol, method, train, test.name(), f1(p.probability(), test.label()), test.porosity(), p.pores() / px,
                    p.low() / px, p.high() / px, secs);
        } finally {
            nets.forEach(Network::close);
        }
    }

    private static Row otsu(LabelledSet set, List<Slice> s, int i) {
        Slice test = s.get(i);
        // polarity from the other slices' labels: are pores darker than solid?
        double pore = 0;
        double solid = 0;
        long np = 0;
        long ns = 0;
        for (int j = 0; j < s.size(); j++) {
            if (j == i) {
                continue;
            }
            for (int k = 0; k < s.get(j).raw().length; k++) {
                if (s.get(j).label()[k] > 0.5f) {
                    pore += s.get(j).raw()[k];
                    np++;
                } else {
                    solid += s.get(j).raw()[k];
                    ns++;
                }
            }
        }
        boolean dark = pore / Math.max(1, np) < solid / Math.max(1, ns);
        double t = AutoThreshold.otsu(Histogram.of(test.raw(), test.type(), 256));
        float[] pred = new float[test.raw().length];
        long count = 0;
        for (int k = 0; k < pred.length; k++) {
            boolean p = dark ? test.raw()[k] <= t : test.raw()[k] > t;
            pred[k] = p ? 1f : 0f;
            count += p ? 1 : 0;
        }
        double por = (double) count / pred.length;
        return new Row(set.name(), "otsu", "global Otsu (" + (dark ? "dark" : "bright") + " = pore)", "-", test.name(), f1(pred, test.label()),
                test.porosity(), por, por, por, 0);
    }

    /** Pore F1 over the labelled pixels (label >= 0), as training and validation score it. */
    static double f1(float[] prob, float[] truth) {
        EpochMetrics m = new EpochMetrics();
        m.addSlice(prob, truth);
        return m.confusion().f1();
    }

    /** Markdown table of the rows, grouped by set, protocol and method: mean F1, porosity error, coverage. */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| set | protocol | method | test slices | mean F1 | F1 per slice | mean abs. porosity error | interval holds truth | mean half-width | train s |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        List<String> keys = new ArrayList<>();
        for (Row r : rows) {
            String k = r.set() + "\u0000" + r.protocol() + "\u0000" + r.method();
            if (!keys.contains(k)) {
                keys.add(k);
            }
        }
        for (String k : keys) {
            List<Row> g = rows.stream().filter(r -> (r.set() + "\u0000" + r.protocol() + "\u0000" + r.method()).equals(k)).toList();
            double f1 = g.stream().mapToDouble(Row::f1).average().orElse(Double.NaN);
            double err = g.stream().mapToDouble(r -> Math.abs(r.porosity() - r.truePorosity())).average().orElse(Double.NaN);
            long cov = g.stream().filter(Row::covered).count();
            double hw = g.stream().mapToDouble(r -> (r.high() - r.low()) / 2).average().orElse(Double.NaN);
            double secs = g.stream().mapToDouble(Row::seconds).max().orElse(0);
            String per = String.join(" / ", g.stream().map(r -> String.format(Locale.ROOT, "%.3f", r.f1())).toList());
            Row r0 = g.get(0);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.3f | %s | %.3f | %d of %d | %.3f | %.0f |%n", r0.set(), r0.protocol(), r0.method(),
                    g.size(), f1, per, err, cov, g.size(), hw, secs));
        }
        return sb.toString();
    }
}

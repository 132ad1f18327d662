package poreseg.net;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import poreseg.io.DataException;
import poreseg.io.OutputFiles;
import poreseg.io.UsageException;
import poreseg.metrics.Confusion;
import poreseg.util.ProgressListener;

/**
 * Trains a network on in-memory slices: Adam, BCE (or BCE+Dice), ReduceLROnPlateau on the validation
 * loss, random patches with optional augmentation, k-fold cross-validation over slices or a given
 * validation set. Per epoch it writes MODEL_DIR/history.csv, MODEL_DIR/last.bin and
 * MODEL_DIR/state.json (for --resume), and keeps the best-validation-loss checkpoint as
 * params.bin + model.json. With k folds, fold i lives in MODEL_DIR/fold-i and the best fold is
 * copied to MODEL_DIR.
 */
public final class NetTrainer {
    /** Receives one line per finished epoch. */
    @FunctionalInterface
    public interface EpochListener {
        void epoch(HistoryRow row);
    }

    /** One row of history.csv. */
    public record HistoryRow(int fold, int epoch, ModelInfo.Scores train, ModelInfo.Scores val, double lr, double seconds) {
        static final String HEADER = "fold,epoch,loss,accuracy,precision,recall,f1,iou,mse,"
                + "val_loss,val_accuracy,val_precision,val_recall,val_f1,val_iou,val_mse,lr,seconds";

        String csv() {
            return String.format(Locale.ROOT, "%d,%d,%s,%s,%.6g,%.2f", fold, epoch, cols(train), cols(val), lr, seconds);
        }

        private static String cols(ModelInfo.Scores s) {
            return String.format(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f", s.loss, s.accuracy, s.precision, s.recall, s.f1, s.iou, s.mse);
        }
    }

    /** Resumable state, MODEL_DIR/state.json. */
    static final class State {
        int fold;
        int epoch; // epochs completed in this fold
        float lr;
        double best = Double.POSITIVE_INFINITY;
        int wait;
        double bestVal = Double.POSITIVE_INFINITY;
        List<ModelInfo.Scores> doneFolds = new ArrayList<>();
        List<HistoryRow> rows = new ArrayList<>();
        String options;
    }

    private final TrainOptions o;
    private final ProgressListener progress;
    private final EpochListener listener;
    private Path init;

    public NetTrainer(TrainOptions options, ProgressListener progress, EpochListener listener) {
        this.o = options;
        this.progress = progress;
        this.listener = listener;
    }

    /**
     * Starts from the parameters of an existing model directory (fine-tuning) instead of random
     * weights; its architecture must be the one trained.
     */
    public NetTrainer initFrom(Path modelDir) {
        this.init = modelDir;
        return this;
    }

    /** One train/validation split. */
    private record Split(int fold, TrainingData train, TrainingData val) {
    }

    /**
     * Trains and saves the model into {@code out}. {@code val} may be null (then k-fold CV, or the last
     * 20% of slices with one fold). Returns the saved model's description.
     */
    public ModelInfo train(TrainingData data, TrainingData val, Path out, Preprocessing pre, Map<String, Object> summary)
            throws IOException {
        List<Split> splits = splits(data, val);
        Files.createDirectories(out);
        State st = o.resume() ? readState(out) : new State();
        if (st == null) {
            throw new UsageException(out + ": nothing to resume (no state.json)");
        }
        String fingerprint = o.arch() + " patch " + o.patch() + " batch " + o.batch() + " folds " + splits.size() + " loss " + o.loss();
        if (o.resume() && st.options != null && !st.options.equals(fingerprint)) {
            throw new UsageException(out + ": cannot resume, it was trained with different settings (" + st.options + ")");
        }
        st.options = fingerprint;
        int steps = stepsPerEpoch(splits.get(0).train());
        long total = (long) splits.size() * o.epochs() * steps;
        for (int f = st.fold; f < splits.size(); f++) {
            Split s = splits.get(f);
            Path dir = splits.size() == 1 ? out : out.resolve("fold-" + f);
            ModelInfo.Scores best = trainFold(s, dir, out, st, pre, summary, steps, total);
            best.fold = splits.size() == 1 ? null : f;
            st.doneFolds.add(best);
            st.fold = f + 1;
            st.epoch = 0;
            st.bestVal = Double.POSITIVE_INFINITY;
            st.best = Double.POSITIVE_INFINITY;
            st.wait = 0;
            writeState(out, st);
        }
        // choose the best fold (lowest validation loss) as the model
        int bestFold = 0;
        for (int f = 1; f < st.doneFolds.size(); f++) {
            if (st.doneFolds.get(f).loss < st.doneFolds.get(bestFold).loss) {
                bestFold = f;
            }
        }
        Path src = splits.size() == 1 ? out : out.resolve("fold-" + bestFold);
        ModelInfo info = ModelStore.readInfo(Files.readString(src.resolve(ModelStore.INFO)), src.toString());
        if (splits.size() > 1) {
            Path tmp = out.resolve(ModelStore.PARAMS + ".tmp");
            Files.copy(src.resolve(ModelStore.PARAMS), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, out.resolve(ModelStore.PARAMS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            info.folds = new ArrayList<>(st.doneFolds);
            info.foldMean = ModelInfo.Scores.mean(st.doneFolds);
        }
        info.training.put("complete", true);
        ModelStore.saveInfo(info, out.resolve(ModelStore.INFO));
        return info;
    }

    private List<Split> splits(TrainingData data, TrainingData val) {
        List<Split> s = new ArrayList<>();
        if (val != null) {
            s.add(new Split(0, data, val));
            return s;
        }
        int n = data.size();
        if (o.folds() == 1) {
            if (n < 2) {
                throw new UsageException("one training slice cannot be split for validation; give a validation set with --val IMAGES:MASKS");
            }
            int nv = Math.max(1, n / 5);
            s.add(new Split(0, data.range(0, n - nv), data.range(n - nv, n)));
            return s;
        }
        if (n < o.folds()) {
            throw new UsageException(o.folds() + "-fold cross-validation needs at least " + o.folds() + " slices, the training stack has "
                    + n + "; use fewer --folds or give --val IMAGES:MASKS");
        }
        for (int f = 0; f < o.folds(); f++) {
            int from = (int) ((long) n * f / o.folds());
            int to = (int) ((long) n * (f + 1) / o.folds());
            s.add(new Split(f, data.without(from, to), data.range(from, to)));
        }
        return s;
    }

    private int stepsPerEpoch(TrainingData train) {
        if (o.steps() > 0) {
            return o.steps();
        }
        long perSlice = (long) Math.ceil((double) train.width() / o.patch()) * (long) Math.ceil((double) train.height() / o.patch());
        return (int) Math.max(1, (train.size() * perSlice + o.batch() - 1) / o.batch());
    }

    private ModelInfo.Scores trainFold(Split s, Path dir, Path out, State st, Preprocessing pre, Map<String, Object> summary,
            int steps, long total) throws IOException {
        Files.createDirectories(dir);
        Architecture arch = o.arch();
        int p = o.patch();
        Shape shape = new Shape(o.batch(), 1, p, p);
        PlateauSchedule schedule = PlateauSchedule.paper(o.lr());
        PoreLoss loss = new PoreLoss(o.loss());
        NetEngine.get().setRandomSeed((int) (o.seed() * 31 + s.fold()));
        try (Model model = Model.newInstance("poreseg", NetEngine.device(), "PyTorch")) {
            Block block = arch.newBlock();
            block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3),
                    Parameter.Type.WEIGHT);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, shape);
            int startEpoch = 0;
            if (o.resume() && st.epoch > 0 && Files.isRegularFile(dir.resolve("last.bin"))) {
                try (InputStream in = Files.newInputStream(dir.resolve("last.bin"))) {
                    ModelStore.loadParams(block, model.getNDManager(), in, dir.resolve("last.bin").toString());
                }
                schedule.restore(st.lr, st.best, st.wait);
                startEpoch = st.epoch;
            } else {
                st.epoch = 0;
                st.bestVal = Double.POSITIVE_INFINITY;
                if (init != null) {
                    ModelInfo from = ModelStore.readInfo(Files.readString(init.resolve(ModelStore.INFO)), init.toString());
                    if (!from.arch().equals(arch)) {
                        throw new UsageException(init + ": is a " + from.arch() + " model, cannot initialise a " + arch);
                    }
                    try (InputStream in = Files.newInputStream(init.resolve(ModelStore.PARAMS))) {
                        ModelStore.loadParams(block, model.getNDManager(), in, init.resolve(ModelStore.PARAMS).toString());
                    }
                }
            }
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(schedule).optEpsilon(1e-7f).build());
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(shape);
                for (Pair<String, Parameter> pr : block.getParameters()) {
                    NDArray a = pr.getValue().getArray();
                    if (pr.getValue().requiresGradient() && !a.hasGradient()) {
                        a.setRequiresGradient(true);
                    }
                }
                int tileOverlap = Math.max(0, (p / 8) / arch.multiple() * arch.multiple());
                float[] xb = new float[o.batch() * p * p];
                float[] yb = new float[o.batch() * p * p];
                long done = ((long) s.fold() * o.epochs() + startEpoch) * steps;
                for (int epoch = startEpoch; epoch < o.epochs(); epoch++) {
                    long t0 = System.nanoTime();
                    PatchSampler sampler = new PatchSampler(s.train(), p, o.augment(), o.geometry(), mix(o.seed(), s.fold(), epoch));
                    EpochMetrics tm = new EpochMetrics();
                    float lrUsed = schedule.lr();
                    for (int step = 0; step < steps; step++) {
                        sampler.fill(xb, yb, o.batch());
                        trainStep(trainer, loss, xb, yb, shape, tm);
                        progress.progress(++done, total);
                    }
                    if (!Double.isFinite(tm.scores().loss)) {
                        throw new DataException("training diverged: the loss is " + tm.scores().loss + " in epoch " + (epoch + 1)
                                + (st.epoch > 0 ? "; the best checkpoint so far is kept" : "") + "; try a lower --lr");
                    }
                    EpochMetrics vm = validate(trainer, s.val(), p, tileOverlap, arch.multiple());
                    ModelInfo.Scores vs = vm.scores();
                    if (loss.usesDice()) {
                        vs.loss = vm.loss() + vm.diceLoss();
                    }
                    schedule.epochEnd(vs.loss);
                    HistoryRow row = new HistoryRow(s.fold(), epoch + 1, tm.scores(), vs, lrUsed, (System.nanoTime() - t0) / 1e9);
                    st.rows.add(row);
                    writeHistory(out, st.rows);
                    ModelStore.saveParams(block, dir.resolve("last.bin"));
                    if (vs.loss < st.bestVal) {
                        st.bestVal = vs.loss;
                        vs.epoch = epoch + 1;
                        ModelStore.saveParams(block, dir.resolve(ModelStore.PARAMS));
                        ModelStore.saveInfo(describe(block, pre, summary, vs, epoch + 1), dir.resolve(ModelStore.INFO));
                    }
                    st.epoch = epoch + 1;
                    st.lr = schedule.lr();
                    st.best = schedule.best();
                    st.wait = schedule.waitCount();
                    writeState(out, st);
                    listener.epoch(row);
                }
            }
        }
        ModelInfo saved = ModelStore.readInfo(Files.readString(dir.resolve(ModelStore.INFO)), dir.toString());
        return saved.scores;
    }

    private static long mix(long seed, int fold, int epoch) {
        return seed * 0x9E3779B97F4A7C15L + fold * 1_000_003L + epoch;
    }

    private static void trainStep(Trainer trainer, PoreLoss loss, float[] xb, float[] yb, Shape shape, EpochMetrics tm) {
        try (NDManager sub = trainer.getManager().newSubManager()) {
            NDArray x = sub.create(FloatBuffer.wrap(xb), shape);
            NDArray y = sub.create(FloatBuffer.wrap(yb), shape);
            NDArray pred;
            NDArray l;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                pred = trainer.forward(new NDList(x)).singletonOrThrow();
                l = loss.evaluate(new NDList(y), new NDList(pred));
                gc.backward(l);
            }
            trainer.step();
            Network.noGrad();
            NDArray pb = pred.gt(0.5f).toType(DataType.FLOAT32, false);
            NDArray stats = NDArrays.stack(new NDList(l.reshape(new Shape()), pb.mul(y).sum(), pb.sum(), y.sum(), pred.sub(y).square().sum()));
            float[] v = stats.toFloatArray();
            long n = shape.size();
            long tp = Math.round(v[1]);
            long fp = Math.round(v[2]) - tp;
            long fn = Math.round(v[3]) - tp;
            tm.add(v[0], n, new Confusion(tp, fp, fn, n - tp - fp - fn), v[4]);
        }
    }

    private static EpochMetrics validate(Trainer trainer, TrainingData val, int tile, int overlap, int multiple) {
        Network.noGrad();
        TiledPredictor tp = new TiledPredictor(trainer.getManager(), x -> trainer.evaluate(new NDList(x)).singletonOrThrow(),
                tile, overlap, 8, multiple);
        EpochMetrics m = new EpochMetrics();
        for (int i = 0; i < val.size(); i++) {
            m.addSlice(tp.predict(val.image(i), val.width(), val.height()), val.mask(i));
        }
        return m;
    }

    private ModelInfo describe(Block block, Preprocessing pre, Map<String, Object> summary, ModelInfo.Scores val, int epoch) {
        ModelInfo info = new ModelInfo();
        Architecture a = o.arch();
        info.architecture = a.name();
        info.width = a.width();
        info.depth = a.depth();
        info.parameters = Architecture.trainableParameters(block);
        info.preprocessing = pre.spec();
        info.patch = o.patch();
        info.tile = Math.max(o.patch(), 256 / a.multiple() * a.multiple());
        info.overlap = Math.min(info.tile / 2, Math.max(a.multiple(), 32 / a.multiple() * a.multiple()));
        info.training.putAll(summary);
        info.training.put("epochs", o.epochs());
        info.training.put("best_epoch", epoch);
        info.training.put("batch", o.batch());
        info.training.put("learning_rate", o.lr());
        info.training.put("optimizer", "adam");
        info.training.put("schedule", "ReduceLROnPlateau(val_loss, factor 0.2, patience 10, min_lr 1e-5)");
        info.training.put("loss", o.loss());
        info.training.put("augment", o.augment());
        if (o.augment()) {
            info.training.put("geometry", o.geometry().label());
        }
        info.training.put("folds", o.folds());
        info.training.put("seed", o.seed());
        if (init != null) {
            info.training.put("initialised_from", init.toString());
        }
        info.scores = val;
        info.engine = NetEngine.describe();
        info.created = Instant.now().toString();
        return info;
    }

    private static void writeHistory(Path out, List<HistoryRow> rows) throws IOException {
        StringBuilder sb = new StringBuilder(HistoryRow.HEADER).append('\n');
        for (HistoryRow r : rows) {
            sb.append(r.csv()).append('\n');
        }
        OutputFiles.writeString(out.resolve("history.csv"), sb.toString());
    }

    private static void writeState(Path out, State st) throws IOException {
        OutputFiles.writeString(out.resolve("state.json"), ModelStore.GSON.toJson(st));
    }

    private static State readState(Path out) throws IOException {
        Path f = out.resolve("state.json");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        return ModelStore.GSON.fromJson(Files.readString(f), State.class);
    }
}

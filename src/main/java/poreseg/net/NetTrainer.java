package poreseg.net;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import poreseg.io.DataException;
import poreseg.net.FoldSplits.Split;
import poreseg.util.ParameterException;
import poreseg.util.ProgressListener;

/**
 * Trains a network on in-memory slices: Adam, BCE (or BCE+Dice), ReduceLROnPlateau on the validation
 * loss, random patches with optional augmentation, k-fold cross-validation or a given validation set.
 *
 * <p>Few labels are the normal case, so: an epoch has at least {@link #MIN_AUTO_STEPS} optimizer steps
 * however few the slices; labels may be sparse (unlabelled pixels are ignored by the loss and the
 * scores); with fewer labelled slices than 2 x folds the folds split every slice into bands of rows
 * instead of splitting the slices (one labelled slice works); batch-norm running statistics are
 * recalibrated over the training data before every validation ({@link BnRecalibration}), and
 * validation runs in eval mode with the same tiling as {@code segment}, so the validation scores are
 * what inference gives.
 *
 * <p>Layout of MODEL_DIR: fold i lives in MODEL_DIR/fold-i (params.bin + model.json of its best
 * validation-loss checkpoint, last.bin of its last epoch); MODEL_DIR/history.csv and state.json (for
 * --resume) are written every epoch. Only when all folds are done is MODEL_DIR/model.json written: it
 * lists the fold models as {@code members} (inference averages them) and MODEL_DIR/params.bin is the
 * best fold (for tools that want one network).
 */
public final class NetTrainer {
    /** An epoch has at least this many optimizer steps when {@code steps} is 0 (auto). */
    public static final int MIN_AUTO_STEPS = 8;
    /** Adam's epsilon (DJL's form: added to sqrt(v) before the bias correction). */
    static final float EPSILON = 1e-7f;

    /** Receives one line per finished epoch. */
    @FunctionalInterface
    public interface EpochListener {
        void epoch(HistoryRow row);
    }

    /** One row of history.csv. */
    public record HistoryRow(int fold, int epoch, ModelInfo.Scores train, ModelInfo.Scores val, double lr, double seconds, int recalibrated) {
        static final String HEADER = "fold,epoch,loss,accuracy,precision,recall,f1,iou,mse,"
                + "val_loss,val_accuracy,val_precision,val_recall,val_f1,val_iou,val_mse,lr,seconds,bn_recalibration_crops";

        public HistoryRow(int fold, int epoch, ModelInfo.Scores train, ModelInfo.Scores val, double lr, double seconds) {
            this(fold, epoch, train, val, lr, seconds, 0);
        }

        String csv() {
            return String.format(Locale.ROOT, "%d,%d,%s,%s,%.6g,%.2f,%d", fold, epoch, cols(train), cols(val), lr, seconds, recalibrated);
        }

        private static String cols(ModelInfo.Scores s) {
            return String.format(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f", s.loss, s.accuracy, s.precision, s.recall, s.f1, s.iou, s.mse);
        }
    }


    private final TrainOptions o;
    private final ProgressListener progress;
    private final EpochListener listener;
    private Consumer<String> notes = s -> { };
    private String init;
    private Precision precision = Precision.FP32;

    public NetTrainer(TrainOptions options, ProgressListener progress, EpochListener listener) {
        this.o = options;
        this.progress = progress;
        this.listener = listener;
    }

    /**
     * Starts from the parameters of an existing model (fine-tuning) instead of random weights: a model
     * directory or {@code default} (the bundled model); its architecture must be the one trained.
     */
    public NetTrainer initFrom(String model) {
        this.init = model;
        return this;
    }

    public NetTrainer initFrom(Path modelDir) {
        return initFrom(modelDir.toString());
    }

    /**
     * Arithmetic of the training passes: FP32 (default) or BF16 convolutions on fp32 master weights
     * where the architecture trains through a kernel (the U-Net; see {@link TrainingKernel}); AUTO is
     * resolved for this CPU. Validation runs in fp32 either way.
     */
    public NetTrainer precision(Precision p) {
        this.precision = p.forTraining();
        return this;
    }

    /** Receives one line for each decision worth logging (split, step budget, recalibration). */
    public NetTrainer onNote(Consumer<String> notes) {
        this.notes = notes;
        return this;
    }

    /**
     * Checks that the labels can train a network: some labelled pixels, and both classes unless
     * fine-tuning (a model that already knows pores may learn from solid-only strokes).
     */
    public static void checkLabels(TrainingData data, boolean fineTuning) throws DataException {
        MaskEncoding.LabelCounts c = data.labelCounts();
        if (c.labelled() == 0) {
            throw new DataException(data.source() + ": the masks have no labelled pixel");
        }
        if (!fineTuning && (c.pores() == 0 || c.pores() == c.labelled())) {
            throw new DataException(data.source() + ": the labels have only one class (" + (c.pores() == 0 ? "no pore" : "all pore")
                    + " among " + c.labelled() + " labelled pixels); label both pore and solid, or fine-tune an existing model");
        }
    }

    /**
     * Trains and saves the model into {@code out}. {@code val} may be null (then k-fold CV). Returns the
     * saved model's description.
     */
    public ModelInfo train(TrainingData data, TrainingData val, Path out, Preprocessing pre, Map<String, Object> summary)
            throws IOException {
        TrainingData labelled = data.labelledSlices();
        checkLabels(labelled, init != null);
        if (labelled.size() < data.stackSlices()) {
            notes.accept((data.stackSlices() - labelled.size()) + " of " + data.stackSlices() + " slices have no labelled pixel and are not used");
        }
        List<Split> splits = FoldSplits.of(labelled, val, o.folds());
        ModelInfo from = init == null ? null : ModelStore.info(init);
        if (from != null && !from.arch().equals(o.arch())) {
            throw new ParameterException(init + ": is a " + from.arch() + " model, cannot initialise a " + o.arch());
        }
        if (from != null && !Preprocessing.of(from).sameAs(pre)) {
            throw new ParameterException(init + ": was trained with preprocessing '" + Preprocessing.of(from).describe() + "', fine-tuning must use the same (got '"
                    + pre.describe() + "')");
        }
        long batchValues = poreseg.io.Memory.product(o.batch(), o.patch(), o.patch());
        if (batchValues < 0 || batchValues > Integer.MAX_VALUE - 8) {
            throw new ParameterException("a batch of " + o.batch() + " patches of " + o.patch() + "x" + o.patch() + " is too large; use a smaller batch or patch");
        }
        poreseg.io.Memory.require(batchValues * 8, "a training batch of " + o.batch() + " patches of " + o.patch() + "x" + o.patch());
        Files.createDirectories(out);
        TrainingState st = o.resume() ? TrainingState.read(out) : new TrainingState();
        if (st == null) {
            throw new ParameterException(out + ": nothing to resume (no state.json)");
        }
        String fingerprint = o.arch() + " patch " + o.patch() + " batch " + o.batch() + " folds " + splits.size() + " loss " + o.loss()
                + (o.cosine() ? " cosine" : "");
        if (o.resume() && st.options != null && !st.options.equals(fingerprint)) {
            throw new ParameterException(out + ": cannot resume, it was trained with different settings (" + st.options + ")");
        }
        st.options = fingerprint;
        int steps = stepsPerEpoch(splits.get(0).train());
        notes.accept(String.format(Locale.ROOT, "%d fold%s, %d epochs of %d steps (batch %d, patch %d)%s", splits.size(), splits.size() == 1 ? "" : "s",
                o.epochs(), steps, o.batch(), o.patch(), o.steps() == 0 ? ", steps per epoch chosen automatically ({steps} 0)" : ""));
        for (Split s : splits) {
            notes.accept("fold " + s.fold() + ": " + s.describe());
        }
        long total = (long) splits.size() * o.epochs() * steps;
        for (int f = st.fold; f < splits.size(); f++) {
            Split s = splits.get(f);
            ModelInfo.Scores best = trainFold(s, out.resolve(foldDir(f)), out, st, pre, summary, steps, total, from);
            best.fold = splits.size() == 1 ? null : f;
            st.doneFolds.add(best);
            st.fold = f + 1;
            st.epoch = 0;
            st.bestVal = Double.POSITIVE_INFINITY;
            st.bestF1 = Double.NEGATIVE_INFINITY;
            st.best = Double.POSITIVE_INFINITY;
            st.wait = 0;
            TrainingState.write(out, st);
        }
        // the best fold (lowest validation loss) is MODEL_DIR/params.bin; inference uses all members
        int bestFold = 0;
        for (int f = 1; f < st.doneFolds.size(); f++) {
            if (st.doneFolds.get(f).loss < st.doneFolds.get(bestFold).loss) {
                bestFold = f;
            }
        }
        Path src = out.resolve(foldDir(bestFold));
        ModelInfo info = ModelStore.readInfo(Files.readString(src.resolve(ModelStore.INFO)), src.toString());
        Path tmp = out.resolve(ModelStore.PARAMS + ".tmp");
        Files.copy(src.resolve(ModelStore.PARAMS), tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, out.resolve(ModelStore.PARAMS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        info.members = new ArrayList<>();
        for (int f = 0; f < splits.size(); f++) {
            info.members.add(foldDir(f));
        }
        info.bestMember = bestFold;
        if (splits.size() > 1) {
            info.folds = new ArrayList<>(st.doneFolds);
            info.foldMean = ModelInfo.Scores.mean(st.doneFolds);
        }
        info.training.put("complete", true);
        ModelStore.saveInfo(info, out.resolve(ModelStore.INFO));
        return info;
    }

    static String foldDir(int f) {
        return "fold-" + f;
    }


    private int stepsPerEpoch(TrainingData train) {
        if (o.steps() > 0) {
            return o.steps();
        }
        long perSlice = (long) Math.ceil((double) train.width() / o.patch()) * (long) Math.ceil((double) train.height() / o.patch());
        return (int) Math.max(MIN_AUTO_STEPS, (train.size() * perSlice + o.batch() - 1) / o.batch());
    }

    /** Tile and overlap that inference ({@code segment}) uses for a model trained with these options. */
    static int inferenceTile(TrainOptions o) {
        Architecture a = o.arch();
        return TiledPredictor.defaultTile(a.multiple(), o.patch());
    }

    static int inferenceOverlap(TrainOptions o) {
        Architecture a = o.arch();
        int tile = inferenceTile(o);
        return Math.min(tile / 2 / a.multiple() * a.multiple(), Math.max(a.multiple(), 32 / a.multiple() * a.multiple()));
    }

    /** A new block of this architecture, set to train in {@link #precision}. */
    private Block newTrainingBlock(Architecture arch) {
        Block block = arch.newUninitializedWeights();
        arch.type().configureTraining(block, precision);
        return block;
    }

    private ModelInfo.Scores trainFold(Split s, Path dir, Path out, TrainingState st, Preprocessing pre, Map<String, Object> summary,
            int steps, long total, ModelInfo from) throws IOException {
        Files.createDirectories(dir);
        Architecture arch = o.arch();
        int p = o.patch();
        Shape shape = new Shape(o.batch(), 1, p, p);
        PlateauSchedule schedule = PlateauSchedule.paper(o.lr());
        PoreLoss loss = new PoreLoss(o.loss(), true);
        NetEngine.get().setRandomSeed((int) (o.seed() * 31 + s.fold()));
        try (Model model = Model.newInstance("poreseg", NetEngine.device(), "PyTorch")) {
            Block block = newTrainingBlock(arch);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, shape);
            int startEpoch = startWeights(block, model.getNDManager(), dir, st, schedule, from);
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(schedule).optEpsilon(EPSILON).build());
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(shape);
                requireGradients(block);
                FusedAdam adam = FusedAdam.create(block, trainer.getManager(), schedule, EPSILON);
                // validation runs the inference kernel (fp32, segment's default), refolded every epoch
                NDManager kernelManager = trainer.getManager().newSubManager();
                ScriptedKernel valKernel = ScriptedKernel.of(arch, block, kernelManager);
                int tile = inferenceTile(o);
                int overlap = inferenceOverlap(o);
                ParameterStore store = new ParameterStore(trainer.getManager(), false);
                float[] xb = new float[o.batch() * p * p];
                float[] yb = new float[o.batch() * p * p];
                List<Double> thresholds = new ArrayList<>();
                // which validation slices may calibrate the porosity: fixed for the fold, so found once
                List<float[]> calibration = s.calibration();
                if (!s.heldOut()) {
                    notes.accept("no held-out labels (--folds 0): each epoch is checked on the training labels themselves, and the "
                            + "porosity interval is the model's own uncertainty, not calibrated");
                } else if (s.hasStrokes()) {
                    notes.accept("fold " + s.fold() + ": validation labels without the pore boundaries (strokes) do not calibrate the porosity"
                            + (s.calibrates() ? " (the slices with regions labelled whole do)"
                            : ": the model's interval is its own uncertainty band, not checked against a labelled porosity "
                            + "(label a region whole, its pores' edges included, to calibrate it)"));
                }
                long done = ((long) s.fold() * o.epochs() + startEpoch) * steps;
                for (int epoch = startEpoch; epoch < o.epochs(); epoch++) {
                    long t0 = System.nanoTime();
                    PatchSampler sampler = new PatchSampler(s.train(), p, o.augment(), o.geometry(), mix(o.seed(), s.fold(), epoch));
                    EpochMetrics tm = new EpochMetrics();
                    if (o.cosine()) {
                        schedule.scale(PlateauSchedule.cosine((long) epoch * steps, (long) o.epochs() * steps, 0.01));
                    }
                    float lrUsed = schedule.lr();
                    for (int step = 0; step < steps; step++) {
                        if (o.cosine()) {
                            schedule.scale(PlateauSchedule.cosine((long) epoch * steps + step, (long) o.epochs() * steps, 0.01));
                        }
                        sampler.fill(xb, yb, o.batch());
                        TrainStep.run(trainer, adam, loss, xb, yb, shape, tm);
                        progress.progress(++done, total);
                    }
                    if (!Double.isFinite(tm.scores().loss)) {
                        throw new DataException("training diverged: the loss is " + tm.scores().loss + " in epoch " + (epoch + 1)
                                + (st.epoch > 0 ? "; the best checkpoint so far is kept" : "") + "; try a lower learning rate");
                    }
                    int crops = Validation.recalibrate(block, store, trainer.getManager(), s.train(), tile, arch.multiple(), mix(o.seed() + 17, s.fold(), epoch));
                    EpochMetrics vm = Validation.validate(trainer, valKernel, s.val(), tile, overlap, arch.multiple(), thresholds, calibration);
                    ModelInfo.Scores vs = vm.scores();
                    vs.fold = s.fold();
                    if (loss.usesDice()) {
                        vs.loss = vm.loss() + vm.diceLoss();
                    }
                    schedule.epochEnd(vs.loss);
                    HistoryRow row = new HistoryRow(s.fold(), epoch + 1, tm.scores(), vs, lrUsed, (System.nanoTime() - t0) / 1e9, crops);
                    st.rows.add(row);
                    TrainingState.writeHistory(out, st.rows);
                    ModelStore.saveParams(block, dir.resolve("last.bin"));
                    // plateau (the paper): the checkpoint of the lowest validation loss; cosine: the highest
                    // validation F1 (the later epoch on ties). On real slices the lowest BCE+Dice loss fell on
                    // epochs 3-8 of 40 (soft probabilities), and a fold's validation F1 could fall from 0.95
                    // (epoch 3) to 0.46 (epoch 40) while its training F1 rose to 0.98, so neither the loss nor
                    // the last epoch is a safe choice
                    boolean keep = o.cosine() ? vs.f1 >= st.bestF1 : vs.loss < st.bestVal;
                    if (keep) {
                        ModelInfo d = TrainedModelInfo.describe(o, init, block, pre, summary, vs, epoch + 1, s, steps, crops);
                        checkpoint(block, dir, st, vs, epoch + 1, d, thresholds);
                    }
                    st.epoch = epoch + 1;
                    st.lr = schedule.baseLr();
                    st.best = schedule.best();
                    st.wait = schedule.waitCount();
                    TrainingState.write(out, st);
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



    /**
     * The fold's starting weights: its last epoch's when resuming (and the schedule's state), else the
     * initial model's ({@link #initFrom}) or the fresh initialisation. Returns the first epoch to train.
     */
    private int startWeights(Block block, NDManager manager, Path dir, TrainingState st, PlateauSchedule schedule, ModelInfo from)
            throws IOException {
        int startEpoch = 0;
        if (o.resume() && st.epoch > 0 && Files.isRegularFile(dir.resolve("last.bin"))) {
            try (InputStream in = Files.newInputStream(dir.resolve("last.bin"))) {
                ModelStore.loadParams(block, manager, in, dir.resolve("last.bin").toString());
            }
            schedule.restore(st.lr, st.best, st.wait);
            startEpoch = st.epoch;
        } else {
            st.epoch = 0;
            st.bestVal = Double.POSITIVE_INFINITY;
            st.bestF1 = Double.NEGATIVE_INFINITY;
            if (from != null) {
                try (InputStream in = ModelStore.params(init)) {
                    ModelStore.loadParams(block, manager, in, init + " " + ModelStore.PARAMS);
                }
            }
        }
        return startEpoch;
    }

    private static void requireGradients(Block block) {
        for (Pair<String, Parameter> pr : block.getParameters()) {
            NDArray a = pr.getValue().getArray();
            if (pr.getValue().requiresGradient() && !a.hasGradient()) {
                a.setRequiresGradient(true);
            }
        }
    }

    /** Saves the fold's best checkpoint so far: params.bin and model.json ({@code d}, with the porosity thresholds). */
    private static void checkpoint(Block block, Path dir, TrainingState st, ModelInfo.Scores vs, int epoch, ModelInfo d,
            List<Double> thresholds) throws IOException {
        st.bestVal = Math.min(st.bestVal, vs.loss);
        st.bestF1 = Math.max(st.bestF1, vs.f1);
        vs.epoch = epoch;
        ModelStore.saveParams(block, dir.resolve(ModelStore.PARAMS));
        d.porosityThresholds = new ArrayList<>(thresholds);
        ModelStore.saveInfo(d, dir.resolve(ModelStore.INFO));
    }



}

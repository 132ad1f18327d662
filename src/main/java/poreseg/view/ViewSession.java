package poreseg.view;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import poreseg.io.StackInfo;
import poreseg.net.ModelInfo;
import poreseg.util.ParameterException;

/**
 * What one {@code poreseg view} serves: the stacks, the labels, per-slice porosity, the model's
 * predictions on demand and one background fine-tuning at a time. Plain Java, no HTTP; the server
 * turns its answers into responses. Events (training progress) go to a {@link Events} listener.
 */
public final class ViewSession implements AutoCloseable {
    /** Receives events as a type and a JSON-ready map; called from background threads. */
    @FunctionalInterface
    public interface Events {
        Events NONE = (type, data) -> { };

        void publish(String type, Map<String, Object> data);
    }

    /** A layer computed by a model rather than read from a file. */
    public enum Predicted {
        /** The starting model (--model). */
        MODEL,
        /** The model fine-tuned in this session. */
        TUNED
    }

    private final ViewStacks stacks;
    private final LabelStore labels;
    private final String model;
    private final Path tunedDir;
    private final FineTune.Settings settings;
    private final Predictor base;
    private volatile Predictor tuned;
    private final double[] maskPorosity;
    private final double[] truthPorosity;
    private final TreeMap<Integer, Double> modelPorosity = new TreeMap<>();
    private final TreeMap<Integer, Double> tunedPorosity = new TreeMap<>();
    private volatile int profileDone;
    private volatile Events events = Events.NONE;
    private final AtomicBoolean cancel = new AtomicBoolean();
    private volatile Thread training;
    private volatile Map<String, Object> trainState = Map.of("state", "idle");
    private volatile boolean closed;

    public ViewSession(ViewStacks stacks, LabelStore labels, String model, Path tunedDir, FineTune.Settings settings) {
        this.stacks = stacks;
        this.labels = labels;
        this.model = model;
        this.tunedDir = tunedDir;
        this.settings = settings;
        this.base = model == null ? null : new Predictor(model, 8, stacks.volume(ViewStacks.Layer.IMAGE));
        int d = stacks.info().depth();
        maskPorosity = new double[d];
        truthPorosity = new double[d];
        Arrays.fill(maskPorosity, Double.NaN);
        Arrays.fill(truthPorosity, Double.NaN);
        if (stacks.has(ViewStacks.Layer.MASK) || stacks.has(ViewStacks.Layer.TRUTH)) {
            Thread t = new Thread(this::profile, "poreseg-view-porosity");
            t.setDaemon(true);
            t.start();
        } else {
            profileDone = d;
        }
    }

    public void events(Events e) {
        this.events = e;
    }

    public ViewStacks stacks() {
        return stacks;
    }

    public LabelStore labels() {
        return labels;
    }

    public StackInfo info() {
        return stacks.info();
    }

    public boolean hasModel() {
        return base != null;
    }

    public boolean hasTuned() {
        return tuned != null;
    }

    private void profile() {
        for (int z = 0; z < maskPorosity.length && !closed; z++) {
            try {
                if (stacks.has(ViewStacks.Layer.MASK)) {
                    maskPorosity[z] = SliceImages.poreFraction(stacks.read(ViewStacks.Layer.MASK, z));
                }
                if (stacks.has(ViewStacks.Layer.TRUTH)) {
                    truthPorosity[z] = SliceImages.poreFraction(stacks.read(ViewStacks.Layer.TRUTH, z));
                }
            } catch (IOException | RuntimeException e) {
                // the slice stays NaN in the plot; reading it for display reports the error
            }
            profileDone = z + 1;
        }
    }

    /** Per-slice porosity (pore fraction, NaN where not known yet) of the mask, truth and model predictions. */
    public Map<String, Object> porosity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("slices", maskPorosity.length);
        m.put("done", profileDone);
        if (stacks.has(ViewStacks.Layer.MASK)) {
            m.put("mask", nullForNaN(maskPorosity));
        }
        if (stacks.has(ViewStacks.Layer.TRUTH)) {
            m.put("truth", nullForNaN(truthPorosity));
        }
        synchronized (modelPorosity) {
            m.put("model", new TreeMap<>(modelPorosity));
            m.put("tuned", new TreeMap<>(tunedPorosity));
        }
        return m;
    }

    private static Double[] nullForNaN(double[] a) {
        Double[] out = new Double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Double.isNaN(a[i]) ? null : a[i];
        }
        return out;
    }

    /**
     * The scale the starting or the fine-tuned model runs this stack at, as users write it ("1", "1/2
     * (enlarged 2x)", "3 (reduced 3x)"), once a slice was predicted with a scale-selecting model; else null.
     */
    public String scaleOf(Predicted which) {
        Predictor p = which == Predicted.MODEL ? base : tuned;
        poreseg.net.Segmenter.ScaleChoice c = p == null ? null : p.scale();
        if (c == null) {
            return null;
        }
        int f = c.factor();
        return poreseg.net.Segmenter.scaleText(f) + (f > 1 ? " (reduced " + f + "x)" : "");
    }

    /** Pore probability of slice z from the starting or the fine-tuned model (computed on first request). */
    public float[] predicted(Predicted which, int z) throws IOException {
        Predictor p = which == Predicted.MODEL ? base : tuned;
        if (p == null) {
            throw new IllegalStateException(which == Predicted.MODEL ? "no model" : "no fine-tuned model yet");
        }
        float[] prob = p.probability(z, stacks.slice(ViewStacks.Layer.IMAGE, z), stacks.info());
        double f = fraction(prob);
        synchronized (modelPorosity) {
            (which == Predicted.MODEL ? modelPorosity : tunedPorosity).put(z, f);
        }
        return prob;
    }

    private static double fraction(float[] prob) {
        long n = 0;
        for (float v : prob) {
            n += v > 0.5f ? 1 : 0;
        }
        return (double) n / prob.length;
    }

    /** The current prediction of slice z as 0/1: the mask stack if given, else the starting model. */
    private float[] currentPrediction(int z) throws IOException {
        float[] out = new float[stacks.info().sliceSize()];
        float[] src = stacks.has(ViewStacks.Layer.MASK) ? stacks.read(ViewStacks.Layer.MASK, z) : predicted(Predicted.MODEL, z);
        float cut = stacks.has(ViewStacks.Layer.MASK) ? 0f : 0.5f;
        for (int i = 0; i < out.length; i++) {
            out[i] = src[i] > cut ? 1f : 0f;
        }
        return out;
    }

    /** The state of the fine-tuning: idle, running, done, failed or cancelled, with details. */
    public Map<String, Object> trainState() {
        return trainState;
    }

    /**
     * Starts fine-tuning in the background on the labels as they are now (saved first); when it
     * finishes, slice {@code z} is segmented with the new model and compared with the old
     * prediction. Refused while a training runs.
     */
    public synchronized void startTraining(int z, Integer epochs) throws IOException {
        if (base == null) {
            throw new ParameterException("no model to fine-tune");
        }
        if (training != null && training.isAlive()) {
            throw new IllegalStateException("a fine-tuning is already running");
        }
        if (z < 0 || z >= stacks.info().depth()) {
            throw new IndexOutOfBoundsException("slice " + z + " is outside 0.." + (stacks.info().depth() - 1));
        }
        if (labels.labelledSlices().isEmpty()) {
            throw new ParameterException("no labels yet: paint pore and solid strokes on a slice first");
        }
        labels.save();
        FineTune.Settings s = epochs == null ? settings
                : new FineTune.Settings(epochs, settings.batch(), settings.lr(), settings.patch(), settings.steps(), settings.seed());
        cancel.set(false);
        setState("running", Map.of("done", 0, "total", 0, "epochs", s.epochs()));
        Thread t = new Thread(() -> train(z, s), "poreseg-view-finetune");
        t.setDaemon(true);
        training = t;
        t.start();
    }

    private void train(int z, FineTune.Settings s) {
        try {
            FineTune.Listener l = new FineTune.Listener() {
                private long last;

                @Override
                public void progress(long done, long total) {
                    long now = System.nanoTime();
                    if (done == total || now - last > 200_000_000L) {
                        last = now;
                        setState("running", Map.of("done", done, "total", total, "epochs", s.epochs()));
                    }
                }

                @Override
                public void epoch(int epoch, int epochs, double loss, double f1, double valLoss, double valF1, double seconds) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("epoch", epoch);
                    m.put("epochs", epochs);
                    m.put("loss", loss);
                    m.put("f1", f1);
                    m.put("val_loss", valLoss);
                    m.put("val_f1", valF1);
                    m.put("seconds", seconds);
                    events.publish("epoch", m);
                }
            };
            ModelInfo info = FineTune.run(model, stacks, labels, tunedDir, s, l, cancel::get);
            Predictor old = tuned;
            Predictor fresh = new Predictor(tunedDir.toString(), 8, stacks.volume(ViewStacks.Layer.IMAGE));
            synchronized (modelPorosity) {
                tunedPorosity.clear();
            }
            tuned = fresh;
            if (old != null) {
                old.close();
            }
            float[] before = currentPrediction(z);
            double b = SliceImages.poreFraction(before);
            predicted(Predicted.TUNED, z);
            double a;
            synchronized (modelPorosity) {
                a = tunedPorosity.get(z);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("slice", z);
            m.put("before", b);
            m.put("after", a);
            m.put("model", tunedDir.toString());
            m.put("val_f1", info.scores == null ? null : info.scores.f1);
            // strokes alone calibrate no porosity interval; a region labelled whole does
            m.put("calibrated", calibrated(tunedDir));
            setState("done", m);
        } catch (CancellationException e) {
            setState("cancelled", Map.of());
        } catch (Exception | Error e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            setState(closed ? "cancelled" : "failed", Map.of("message", msg));
        }
    }

    private void setState(String state, Map<String, Object> details) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state);
        m.putAll(details);
        trainState = m;
        events.publish("train", m);
    }

    /** Asks a running fine-tuning to stop; it stops at the next batch and leaves no model folder. */
    public void cancelTraining() {
        cancel.set(true);
    }

    /** Stops training (waiting for it up to {@code millis}), then saves unsaved labels. */
    public void shutdown(long millis) throws IOException {
        cancel.set(true);
        Thread t = training;
        if (t != null) {
            try {
                t.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (labels.dirty()) {
            labels.save();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        cancel.set(true);
        if (base != null) {
            base.close();
        }
        Predictor t = tuned;
        if (t != null) {
            t.close();
        }
        labels.close();
        stacks.close();
    }

    /** Whether the fine-tuned model's porosity interval is calibrated; null when its description cannot be read (the model itself is fine). */
    private static Boolean calibrated(Path dir) {
        try {
            return poreseg.net.PorosityCalibration.calibrated(poreseg.net.ModelStore.memberInfos(dir.toString(), null));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

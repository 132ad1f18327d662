package poreseg.view;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import poreseg.io.StackInfo;
import poreseg.net.ModelStore;
import poreseg.net.Network;
import poreseg.net.Segmenter;

/**
 * A model applied to single slices on demand, loaded on first use (the engine start costs seconds,
 * opening the viewer must not). Keeps the last few probability maps. With a model that selects its
 * input scale (the bundled one), the scale is chosen once for the whole stack on first use, as
 * {@code segment} and {@code analyze} choose it, so the viewer shows the masks they measure.
 */
final class Predictor implements AutoCloseable {
    private final String model;
    private final int batch;
    /** The image stack (for the scale choice), or null: each slice is then its own stack. */
    private final poreseg.io.Volume stack;
    private Segmenter.ScaleChoice scale;
    private Network net;
    private Segmenter segmenter;
    private final LinkedHashMap<Integer, float[]> recent = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, float[]> e) {
            return size() > 6;
        }
    };

    Predictor(String model, int batch, poreseg.io.Volume stack) {
        this.model = model;
        this.batch = batch;
        this.stack = stack;
    }

    String model() {
        return model;
    }

    /** Pore probability (0..1) of slice z whose raw values are given by {@code raw}. */
    synchronized float[] probability(int z, float[] raw, StackInfo info) throws IOException {
        float[] p = recent.get(z);
        if (p != null) {
            return p;
        }
        if (segmenter == null) {
            net = ModelStore.load(model);
            Segmenter s = Segmenter.of(net, batch);
            if (stack != null) {
                Segmenter.ForStack f = s.forStack(stack, poreseg.util.ProgressListener.NONE);
                s = f.segmenter();
                scale = f.scale();
            }
            segmenter = s;
        }
        p = segmenter.probability(raw, info);
        recent.put(z, p);
        return p;
    }

    /** The stack's scale choice, once a slice was predicted with a scale-selecting model; else null. */
    synchronized Segmenter.ScaleChoice scale() {
        return scale;
    }

    synchronized boolean has(int z) {
        return recent.containsKey(z);
    }

    @Override
    public synchronized void close() {
        if (net != null) {
            net.close();
            net = null;
            segmenter = null;
        }
    }
}

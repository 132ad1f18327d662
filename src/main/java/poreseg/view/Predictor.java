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
 * opening the viewer must not). Keeps the last few probability maps.
 */
final class Predictor implements AutoCloseable {
    private final String model;
    private final int batch;
    private Network net;
    private Segmenter segmenter;
    private final LinkedHashMap<Integer, float[]> recent = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, float[]> e) {
            return size() > 6;
        }
    };

    Predictor(String model, int batch) {
        this.model = model;
        this.batch = batch;
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
            segmenter = Segmenter.of(net, batch);
        }
        p = segmenter.probability(raw, info);
        recent.put(z, p);
        return p;
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

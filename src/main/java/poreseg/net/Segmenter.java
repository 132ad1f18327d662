package poreseg.net;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.io.SliceSource;

/**
 * Applies a trained model to raw slices: the model's preprocessing, the input scaling, then tiled
 * inference. Gives pore probabilities (0..1) or masks (255 = pore where probability > threshold).
 */
public final class Segmenter {
    private final Network net;
    private final Preprocessing pre;
    private final TiledPredictor tiled;

    public Segmenter(Network net, int tile, int overlap, int batch) {
        this.net = net;
        this.pre = Preprocessing.parse(net.info().preprocessing);
        this.tiled = net.tiled(tile, overlap, batch);
    }

    /** Pore probability of every pixel of a raw slice of a stack described by {@code info}. */
    public float[] probability(float[] raw, StackInfo info) {
        return tiled.predict(pre.networkInput(raw, info.width(), info.height(), info.type()), info.width(), info.height());
    }

    /** 255 where probability > threshold, else 0. Counts pore pixels into {@code pores}. */
    public static float[] mask(float[] prob, double threshold, AtomicLong pores) {
        float[] m = new float[prob.length];
        long n = 0;
        for (int i = 0; i < prob.length; i++) {
            if (prob[i] > threshold) {
                m[i] = 255f;
                n++;
            }
        }
        pores.addAndGet(n);
        return m;
    }

    /** Masks (255 = pore) of a probability volume, slice by slice, for {@code TiffWriter}. */
    public static SliceSource masks(Volume probabilities, double threshold) {
        AtomicLong ignored = new AtomicLong();
        return z -> mask(probabilities.slice(z), threshold, ignored);
    }

    /** Probabilities of a whole volume, slice by slice, for {@code TiffWriter}. */
    public SliceSource probabilities(Volume v) {
        return z -> probability(v.slice(z), v.info());
    }

    public Network network() {
        return net;
    }

    /** Convenience for callers that want a checked exception type. */
    public float[] probability(Volume v, int z) throws IOException {
        return probability(v.slice(z), v.info());
    }
}

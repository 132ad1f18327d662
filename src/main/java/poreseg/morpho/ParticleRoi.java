package poreseg.morpho;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import poreseg.io.Calibration;
import poreseg.io.DataException;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.util.Parallel;
import poreseg.util.ParameterException;
import poreseg.util.ProgressListener;

/**
 * Secondary-particle mask (the region of interest for porosity) from a raw grey-value stack:
 * heavy 3D Gaussian smoothing (so that pores vanish and only particle versus background remains),
 * a global Otsu threshold of the smoothed volume (particle brighter than the background by
 * default), an optional morphological closing (pores open to the particle surface), holes filled
 * slice by slice and in 3D (closed pores stay inside the particle), the
 * largest 6-connected component kept, and an optional erosion margin (Euclidean, in the unit).
 *
 * <p>Memory: smoothing streams (a window of slices); the mask is held as one byte per voxel, and
 * the closing and the erosion margin need 4 more bytes per voxel.
 */
public final class ParticleRoi {

    /**
     * @param sigma       Gaussian sigma in x/y pixels (z sigma scaled by the voxel aspect)
     * @param margin      erosion depth in the calibration unit (0: none)
     * @param brightParticle particle brighter than background (BSE of NCM in epoxy: true)
     * @param threshold   fixed threshold on the smoothed values, or NaN for Otsu
     * @param closing     radius (in the unit) of a morphological closing before hole filling, which
     *                    closes pores open to the particle surface (0: none)
     */
    public record Options(double sigma, double margin, boolean brightParticle, double threshold, double closing) {
        public static final Options DEFAULT = new Options(4, 0, true, Double.NaN, 0);

        public Options(double sigma, double margin, boolean brightParticle, double threshold) {
            this(sigma, margin, brightParticle, threshold, 0);
        }

        public Options {
            if (!(sigma >= 0) || sigma > 100) {
                throw new ParameterException("sigma must be 0..100 pixels, got " + sigma);
            }
            if (!(margin >= 0)) {
                throw new ParameterException("margin must be >= 0, got " + margin);
            }
            if (!(closing >= 0)) {
                throw new ParameterException("closing radius must be >= 0, got " + closing);
            }
        }
    }

    /** The mask (1 = particle) and the threshold used. */
    public record Result(StackInfo info, List<byte[]> mask, double threshold, long voxels) {
        /** The mask as a 0/255 slice for {@code TiffWriter}. */
        public float[] slice(int z) {
            byte[] b = mask.get(z);
            float[] f = new float[b.length];
            for (int i = 0; i < b.length; i++) {
                f[i] = b[i] != 0 ? 255f : 0f;
            }
            return f;
        }
    }

    private ParticleRoi() {
    }

    public static Result compute(Volume raw, Calibration c, Options o, ProgressListener progress) throws IOException {
        StackInfo info = raw.info();
        int w = info.width();
        int h = info.height();
        int d = info.depth();
        double sz = o.sigma() * c.x() / c.z();
        // pass 1: range and histogram of the smoothed volume
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        smooth(raw, o.sigma(), sz, s -> {
            for (float v : s) {
                range[0] = Math.min(range[0], v);
                range[1] = Math.max(range[1], v);
            }
        }, progress);
        if (!(range[1] > range[0])) {
            throw new DataException(raw.source() + ": the smoothed stack is uniform (value " + range[0] + "), no particle to find");
        }
        int bins = 1024;
        long[] hist = new long[bins];
        double lo = range[0];
        double scale = bins / (range[1] - range[0]);
        double t = o.threshold();
        if (Double.isNaN(t)) {
            smooth(raw, o.sigma(), sz, s -> {
                for (float v : s) {
                    hist[Math.min(bins - 1, (int) ((v - lo) * scale))]++;
                }
            }, progress);
            t = lo + (Otsu.threshold(hist) + 1) / scale;
        }
        final double cut = t;
        List<byte[]> mask = new ArrayList<>(d);
        smooth(raw, o.sigma(), sz, s -> {
            byte[] b = new byte[s.length];
            for (int i = 0; i < s.length; i++) {
                boolean above = s[i] >= cut;
                b[i] = (byte) (above == o.brightParticle() ? 1 : 0);
            }
            mask.add(b);
        }, progress);
        if (o.closing() > 0) {
            BinaryMasks.close(mask, w, h, c, o.closing());
        }
        for (byte[] b : mask) {
            BinaryMasks.fillHoles2d(b, w, h);
        }
        BinaryMasks.fillHoles3d(mask, w, h);
        long n = BinaryMasks.keepLargest(mask, w, h);
        if (n == 0) {
            throw new DataException(raw.source() + ": no particle found (threshold " + cut + " leaves nothing)");
        }
        if (o.margin() > 0) {
            float[][] dist = new float[d][];
            for (int z = 0; z < d; z++) {
                byte[] b = mask.get(z);
                float[] f = new float[b.length];
                for (int i = 0; i < b.length; i++) {
                    f[i] = b[i] != 0 ? Float.POSITIVE_INFINITY : 0f;
                }
                dist[z] = f;
            }
            DistanceTransform.squaredInPlace(dist, w, h, c, ProgressListener.NONE);
            double m2 = o.margin() * o.margin();
            n = 0;
            for (int z = 0; z < d; z++) {
                byte[] b = mask.get(z);
                for (int i = 0; i < b.length; i++) {
                    if (b[i] != 0 && !(dist[z][i] > m2)) {
                        b[i] = 0;
                    }
                    n += b[i];
                }
                dist[z] = null;
            }
            if (n == 0) {
                throw new DataException(raw.source() + ": the erosion margin " + o.margin() + " " + c.unit() + " removes the whole particle");
            }
        }
        return new Result(info.withType(poreseg.io.PixelType.U8).withCalibration(c), mask, cut, n);
    }

    /** Consumer of smoothed slices, in order. */
    private interface SliceSink {
        void accept(float[] s) throws IOException;
    }

    /** 3D Gaussian: 2D per slice in parallel, then along z over a window of slices (edges clamped). */
    private static void smooth(Volume raw, double sxy, double sz, SliceSink sink, ProgressListener progress) throws IOException {
        int w = raw.info().width();
        int h = raw.info().height();
        int d = raw.info().depth();
        float[] kz = kernel(sz);
        int rz = kz.length / 2;
        float[][] window = new float[d][];
        int[] count = {0, 0};
        Parallel.forEachOrdered(d, z -> gauss2d(raw.slice(z), w, h, sxy), s -> {
            int z = count[0]++;
            window[z] = s;
            while (count[1] + rz <= z) {
                emit(window, kz, count[1]++, d, sink);
            }
        }, progress);
        while (count[1] < d) {
            emit(window, kz, count[1]++, d, sink);
        }
    }

    private static void emit(float[][] window, float[] kz, int e, int d, SliceSink sink) throws IOException {
        sink.accept(blendZ(window, kz, e, d));
        int drop = e - kz.length / 2;
        if (drop > 0) {
            window[drop] = null;
        }
    }

    private static float[] blendZ(float[][] window, float[] k, int z, int d) {
        int r = k.length / 2;
        float[] first = window[Math.max(0, Math.min(d - 1, z))];
        float[] out = new float[first.length];
        for (int j = -r; j <= r; j++) {
            float[] s = window[Math.max(0, Math.min(d - 1, z + j))];
            float kj = k[j + r];
            for (int i = 0; i < out.length; i++) {
                out[i] += kj * s[i];
            }
        }
        return out;
    }

    static float[] kernel(double sigma) {
        if (sigma < 0.3) {
            return new float[] {1f};
        }
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            double v = Math.exp(-i * i / (2 * sigma * sigma));
            k[i + r] = (float) v;
            sum += v;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }

    /** Separable 2D Gaussian with clamped (nearest) edges. */
    static float[] gauss2d(float[] s, int w, int h, double sigma) {
        float[] k = kernel(sigma);
        int r = k.length / 2;
        if (r == 0) {
            return s;
        }
        float[] tmp = new float[s.length];
        for (int y = 0; y < h; y++) {
            int o = y * w;
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int j = -r; j <= r; j++) {
                    int xx = Math.max(0, Math.min(w - 1, x + j));
                    acc += k[j + r] * s[o + xx];
                }
                tmp[o + x] = acc;
            }
        }
        float[] out = new float[s.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int j = -r; j <= r; j++) {
                    int yy = Math.max(0, Math.min(h - 1, y + j));
                    acc += k[j + r] * tmp[yy * w + x];
                }
                out[y * w + x] = acc;
            }
        }
        return out;
    }
}

package poreseg.morpho;

import java.io.IOException;
import poreseg.io.Calibration;
import poreseg.io.Volume;
import poreseg.util.Parallel;
import poreseg.util.ProgressListener;

/**
 * Max pore radius and local-thickness histogram of a pore mask, in memory when the volume fits
 * the budget (4 bytes per voxel) and otherwise in z-chunks with a halo:
 * <ol>
 * <li>max radius: each chunk's distance map is computed with a halo of H slices and accepted
 * only where every voxel's distance is shorter than its distance to the loaded range's cut faces
 * (then no background beyond them can be closer); otherwise H is doubled and the chunk redone;</li>
 * <li>local thickness: with the exact max radius R, a halo of 2 ceil(R / dz) + 1 slices makes the
 * distances exact within ceil(R / dz) + 1 slices of the chunk, which holds every ball centre that
 * can reach it.</li>
 * </ol>
 * Results equal the whole-volume computation exactly; the mask is read 2 + 4R/(dz C) times for a
 * chunk of C slices.
 */
final class Distances {
    /** maxRadius (NaN without solid), the histogram and the mean diameter. */
    record Result(double maxRadius, MeasureResult.PoreSizeDistribution distribution, double meanDiameter, int chunks,
            String note) {
    }

    /** Not even one chunk fits the heap budget. */
    static final class NoRoom extends RuntimeException {
        NoRoom(String message) {
            super(message);
        }
    }

    private Distances() {
    }

    static Result compute(Volume mask, Volume roi, float pv, Calibration c, long pore, long budgetBytes,
            ProgressListener progress) throws IOException {
        int w = mask.info().width();
        int h = mask.info().height();
        int d = mask.info().depth();
        long sliceBytes = 4L * w * h;
        int maxSlices = (int) Math.min(Integer.MAX_VALUE, budgetBytes / sliceBytes);
        // local thickness also keeps its ridge voxels (8 bytes each, at most every pore voxel)
        double porosity = (double) pore / ((double) w * h * d);
        long ltSliceBytes = (long) Math.ceil(w * (double) h * (4 + 8 * porosity));
        int maxLtSlices = (int) Math.min(Integer.MAX_VALUE, budgetBytes / ltSliceBytes);
        if (maxLtSlices >= d) {
            float[][] all = load(mask, roi, pv, 0, d, progress);
            double maxSq = DistanceTransform.squaredInPlace(all, w, h, c, progress);
            double maxR = Math.sqrt(maxSq);
            LocalThickness.computeInPlace(all, w, h, c, progress);
            Histogram hist = new Histogram(maxR, c);
            hist.add(all, 0, d);
            return new Result(maxR, hist.distribution(pore), hist.mean(pore), 1, null);
        }
        if (maxSlices < 3) {
            throw new NoRoom(mask.source() + ": not enough heap for distance measures on slices of " + w + "x" + h);
        }
        // pass 1: exact max radius by chunks with an adaptive halo
        int halo = 8;
        double maxSq = 0;
        int chunks = 0;
        for (int z0 = 0; z0 < d; ) {
            while (true) {
                int core = Math.min(d - z0, maxSlices - 2 * halo);
                if (core < 1) {
                    throw new NoRoom(mask.source() + ": pores too large for chunked distances in this heap "
                            + "(halo of " + halo + " slices); raise -Xmx or use {noDistances}");
                }
                int z1 = z0 + core;
                int lo = Math.max(0, z0 - halo);
                int hi = Math.min(d, z1 + halo);
                float[][] chunk = load(mask, roi, pv, lo, hi, ProgressListener.NONE);
                DistanceTransform.squaredInPlace(chunk, w, h, c, ProgressListener.NONE);
                double m = exactMax(chunk, lo, hi, z0, z1, d, c.z());
                chunks++;
                if (m >= 0) {
                    maxSq = Math.max(maxSq, m);
                    z0 = z1;
                    progress.progress(z0, 2L * d);
                    break;
                }
                halo = Math.min(2 * halo, d);
            }
        }
        double maxR = Math.sqrt(maxSq);
        // pass 2: local thickness with a halo that makes every ball centre's distance exact
        int reach = (int) Math.ceil(maxR / c.z());
        int lt = 2 * reach + 1;
        if (maxLtSlices < 2 * lt + 1) {
            return new Result(maxR, null, Double.NaN, chunks, String.format(java.util.Locale.ROOT,
                    "local thickness skipped: pores too large (radius %.4g %s) for chunks in this heap; raise -Xmx",
                    maxR, c.unit()));
        }
        int core = maxLtSlices - 2 * lt;
        Histogram hist = new Histogram(maxR, c);
        for (int z0 = 0; z0 < d; z0 += core) {
            int z1 = Math.min(d, z0 + core);
            int lo = Math.max(0, z0 - lt);
            int hi = Math.min(d, z1 + lt);
            float[][] chunk = load(mask, roi, pv, lo, hi, ProgressListener.NONE);
            DistanceTransform.squaredInPlace(chunk, w, h, c, ProgressListener.NONE);
            int rf = Math.max(lo, z0 - reach) - lo;
            int rt = Math.min(hi, z1 + reach) - lo;
            LocalThickness.computeRange(chunk, w, h, c, rf, rt, z0 - lo, z1 - lo, ProgressListener.NONE);
            hist.add(chunk, z0 - lo, z1 - lo);
            chunks++;
            progress.progress(d + z1, 2L * d);
        }
        return new Result(maxR, hist.distribution(pore), hist.mean(pore), chunks, null);
    }

    /**
     * Largest squared distance of the core slices [z0, z1), or -1 when some core voxel's distance
     * could be shortened by background beyond the loaded range [lo, hi).
     */
    private static double exactMax(float[][] chunk, int lo, int hi, int z0, int z1, int d, double dz) {
        double m = 0;
        for (int z = z0; z < z1; z++) {
            double limit = Double.POSITIVE_INFINITY;
            if (lo > 0) {
                limit = Math.min(limit, sq((z - lo + 1) * dz));
            }
            if (hi < d) {
                limit = Math.min(limit, sq((hi - z) * dz));
            }
            for (float v : chunk[z - lo]) {
                if (v > limit) {
                    return -1;
                }
                if (v > m) {
                    m = v;
                }
            }
        }
        return m;
    }

    private static double sq(double v) {
        return v * v;
    }

    /** Slices [lo, hi) as distance-transform input: +infinity for pore, 0 otherwise. */
    private static float[][] load(Volume mask, Volume roi, float pv, int lo, int hi, ProgressListener progress)
            throws IOException {
        float[][] out = new float[hi - lo][];
        Parallel.forEachOrdered(hi - lo, k -> {
            float[] m = mask.slice(lo + k);
            float[] r = roi == null ? null : roi.slice(lo + k);
            for (int i = 0; i < m.length; i++) {
                m[i] = m[i] == pv && (r == null || r[i] != 0) ? Float.POSITIVE_INFINITY : 0f;
            }
            return m;
        }, new poreseg.util.IOConsumer<float[]>() {
            private int next;

            @Override
            public void accept(float[] s) {
                out[next++] = s;
            }
        }, progress);
        return out;
    }

    /** Histogram of local thickness (diameters) over pore voxels. */
    private static final class Histogram {
        final double width;
        final long[] count;
        double sum;

        Histogram(double maxR, Calibration c) {
            double maxD = 2 * maxR;
            double wd = Math.min(c.x(), Math.min(c.y(), c.z()));
            int bins = (int) Math.ceil(maxD / wd + 1e-9);
            if (bins > 50) {
                bins = 50;
                wd = maxD / 50;
            }
            width = wd;
            count = new long[Math.max(1, bins)];
        }

        void add(float[][] lt, int from, int to) {
            for (int z = from; z < to; z++) {
                for (float v : lt[z]) {
                    if (v > 0) {
                        sum += v;
                        int b = (int) (v / width);
                        count[Math.min(Math.max(b, 0), count.length - 1)]++;
                    }
                }
            }
        }

        double mean(long pore) {
            return sum / pore;
        }

        MeasureResult.PoreSizeDistribution distribution(long pore) {
            double[] edges = new double[count.length + 1];
            double[] frac = new double[count.length];
            for (int i = 0; i <= count.length; i++) {
                edges[i] = i * width;
            }
            for (int i = 0; i < count.length; i++) {
                frac[i] = (double) count[i] / pore;
            }
            return new MeasureResult.PoreSizeDistribution(edges, frac);
        }
    }
}

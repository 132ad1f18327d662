package poreseg.morpho;

import poreseg.core.ComponentLabels;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import poreseg.io.Calibration;
import poreseg.io.DataException;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.util.Parallel;
import poreseg.util.ProgressListener;

/**
 * 3D morphometry of a binary pore mask: porosity, volume, surface area (marching cubes and
 * Crofton), connectivity, percolation, distances and local thickness, porosity profile.
 *
 * <p>Streaming measures read the mask (and ROI) slice by slice on all cores and keep two slices in
 * memory: counts, the 2x2x2 configuration histogram (both surface areas), 6- and 26-connected
 * components with percolation. Distance measures (max pore radius, local thickness) need a float
 * per voxel: in memory when the volume fits in 60 % of the free heap, otherwise exactly in z-chunks
 * with a halo ({@link Distances}); skipped with a note only when even one chunk does not fit.
 *
 * <p>A voxel is pore when its value equals {@code poreValue} and, with an ROI, the ROI voxel is
 * nonzero. Pore voxels outside the ROI are ignored (they are background, not pore).
 */
public final class PoreMeasures {

    /** What to compute besides the streaming counts and areas. */
    /**
     * @param heapBudget bytes the distance measures may use; 0 = 60 % of the free heap (a smaller one
     *     makes them run in z-chunks, or be skipped with a note)
     */
    public record Options(boolean connectivity, boolean distances, long heapBudget) {
        public static final Options ALL = new Options(true, true);

        public Options(boolean connectivity, boolean distances) {
            this(connectivity, distances, 0);
        }

        /** A copy with another heap budget for the distance measures. */
        public Options withHeapBudget(long bytes) {
            return new Options(connectivity, distances, bytes);
        }
    }

    private PoreMeasures() {
    }

    /** All measures with the mask's own calibration, pore value 255, no ROI. */
    public static MeasureResult measure(Volume mask) throws IOException {
        return measure(mask, null, mask.info().calibration(), 255, Options.ALL, ProgressListener.NONE);
    }

    /**
     * Measures the pore space of {@code mask}.
     *
     * @param mask      binary mask, slices along z
     * @param roi       region of interest (nonzero = inside), same shape, or null for the whole volume
     * @param cal       voxel size and unit (null: the mask's calibration)
     * @param poreValue voxel value that marks pore
     * @param options   optional measures
     * @param progress  progress of each pass
     * @throws DataException when the shapes differ or the ROI is empty
     */
    public static MeasureResult measure(Volume mask, Volume roi, Calibration cal, double poreValue, Options options,
            ProgressListener progress) throws IOException {
        StackInfo info = mask.info();
        Calibration c = cal == null ? info.calibration() : cal;
        int w = info.width();
        int h = info.height();
        int d = info.depth();
        if (roi != null && !roi.info().sameShape(info)) {
            throw new DataException(roi.source() + ": ROI is " + roi.info().shape() + " but the mask " + mask.source()
                    + " is " + info.shape());
        }
        int[] box = roi == null ? new int[] {0, w - 1, 0, h - 1, 0, d - 1} : roiBox(roi, progress);
        List<String> notes = new ArrayList<>();
        Pass pass = new Pass(d, box, options.connectivity());
        float pv = (float) poreValue;
        Parallel.forEachOrdered(d, z -> sliceData(mask, roi, z, pv, w, h, options.connectivity()),
                pass::accept, progress);
        if (pass.lt6 != null) {
            pass.lt6.finish();
            pass.lt26.finish();
        }

        double vox = c.voxelVolume();
        long pore = pass.pore;
        if (pore == 0) {
            notes.add(String.format(Locale.ROOT, "no voxel%s has the pore value %s; masks with another convention need "
                    + "{poreValue}", roi == null ? "" : " inside the ROI", fmt(poreValue)));
        }
        long inside = pass.inside;
        double[] mc = MarchingCubesTable.areas(c);
        double[] cr = CroftonSurface.lut(c);
        double mcArea = 0;
        double crArea = 0;
        for (int k = 0; k < 256; k++) {
            mcArea += pass.hist[k] * mc[k];
            crArea += pass.hist[k] * cr[k];
        }
        Long comp6 = null;
        Long comp26 = null;
        double largest = Double.NaN;
        MeasureResult.Percolation perc = null;
        if (pass.lt6 != null) {
            comp6 = pass.lt6.components();
            comp26 = pass.lt26.components();
            largest = pore == 0 ? Double.NaN : (double) pass.lt6.largest() / pore;
            boolean[] p = pass.lt6.percolates();
            perc = new MeasureResult.Percolation(p[0], p[1], p[2]);
        }
        DistanceMeasures dm = options.distances() ? distances(mask, roi, pv, c, pore, info, options, notes, progress)
                : DistanceMeasures.NONE;
        return new MeasureResult(c.unit(), new double[] {c.x(), c.y(), c.z()}, new int[] {w, h, d},
                inside == 0 ? Double.NaN : (double) pore / inside, pore, inside, pore * vox, inside * vox,
                mcArea, crArea, inside == 0 ? Double.NaN : crArea / (inside * vox), comp6, comp26, largest, perc,
                dm.maxR(), dm.psd(), dm.meanD(), pass.profile, List.copyOf(notes));
    }

    /** The distance measures (largest inscribed radius, pore size distribution, mean diameter), or why they are missing (in {@code notes}). */
    private record DistanceMeasures(double maxR, double meanD, MeasureResult.PoreSizeDistribution psd) {
        static final DistanceMeasures NONE = new DistanceMeasures(Double.NaN, Double.NaN, null);
    }

    private static DistanceMeasures distances(Volume mask, Volume roi, float pv, Calibration c, long pore, StackInfo info, Options options,
            List<String> notes, ProgressListener progress) throws IOException {
        double maxR = Double.NaN;
        double meanD = Double.NaN;
        MeasureResult.PoreSizeDistribution psd = null;
        if (pore == 0) {
            maxR = 0;
        } else if (pore == info.voxels()) {
            notes.add("no solid voxel: distances to the solid are undefined");
        } else {
            long budget = options.heapBudget();
            if (budget <= 0) {
                if (0.6 * freeHeap() < 5.0 * info.voxels()) {
                    System.gc(); // garbage of the streaming pass may hide free heap
                }
                budget = (long) (0.6 * freeHeap());
            }
            try {
                Distances.Result dr = Distances.compute(mask, roi, pv, c, pore, budget, progress);
                maxR = dr.maxRadius();
                psd = dr.distribution();
                meanD = dr.meanDiameter();
                if (dr.note() != null) {
                    notes.add(dr.note());
                }
                if (dr.chunks() > 1) {
                    notes.add("distances computed in " + dr.chunks() + " z-chunks with a halo (exact)");
                }
            } catch (Distances.NoRoom e) {
                notes.add("distance measures skipped: " + e.getMessage());
            }
        }
        return new DistanceMeasures(maxR, meanD, psd);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static double freeHeap() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /** Bounding box {x0, x1, y0, y1, z0, z1} of the nonzero ROI voxels; DataException when there are none. */
    static int[] roiBox(Volume roi, ProgressListener progress) throws IOException {
        int w = roi.info().width();
        int[] box = {Integer.MAX_VALUE, -1, Integer.MAX_VALUE, -1, Integer.MAX_VALUE, -1};
        Parallel.forEachOrdered(roi.info().depth(), z -> {
            float[] s = roi.slice(z);
            int[] b = {Integer.MAX_VALUE, -1, Integer.MAX_VALUE, -1, z, z};
            for (int i = 0; i < s.length; i++) {
                if (s[i] != 0) {
                    int x = i % w;
                    int y = i / w;
                    b[0] = Math.min(b[0], x);
                    b[1] = Math.max(b[1], x);
                    b[2] = Math.min(b[2], y);
                    b[3] = Math.max(b[3], y);
                }
            }
            return b;
        }, b -> {
            if (b[1] >= 0) {
                ComponentTracker.union(box, b);
            }
        }, progress);
        if (box[1] < 0) {
            throw new DataException(roi.source() + ": the region of interest is empty (no nonzero voxel), nothing to measure");
        }
        return box;
    }

    /** Per-slice results computed in parallel. */
    private record SliceData(int z, long pore, long inside, byte[] code2, ComponentLabels l4, ComponentLabels l8) {
    }

    /**
     * Reads slice z and returns its pore mask as 0/1 bytes (pore and inside the ROI) together with
     * the counts; used by all passes.
     */
    public static byte[] poreMask(float[] m, float[] r, float poreValue) {
        byte[] b = new byte[m.length];
        for (int i = 0; i < m.length; i++) {
            if (m[i] == poreValue && (r == null || r[i] != 0)) {
                b[i] = 1;
            }
        }
        return b;
    }

    private static SliceData sliceData(Volume mask, Volume roi, int z, float pv, int w, int h, boolean conn)
            throws IOException {
        float[] m = mask.slice(z);
        float[] r = roi == null ? null : roi.slice(z);
        byte[] b = poreMask(m, r, pv);
        long pore = 0;
        for (byte v : b) {
            pore += v;
        }
        long inside = b.length;
        if (r != null) {
            inside = 0;
            for (float v : r) {
                if (v != 0) {
                    inside++;
                }
            }
        }
        byte[] code2 = code2(b, w, h);
        ComponentLabels l4 = conn ? ComponentLabels.label(b, w, h, false) : null;
        ComponentLabels l8 = conn ? ComponentLabels.label(b, w, h, true) : null;
        return new SliceData(z, pore, inside, code2, l4, l8);
    }

    /** 2x2 codes of a slice: bit0 (x,y), bit1 (x+1,y), bit2 (x,y+1), bit3 (x+1,y+1); empty when w or h is 1. */
    static byte[] code2(byte[] b, int w, int h) {
        if (w < 2 || h < 2) {
            return new byte[0];
        }
        byte[] c = new byte[(w - 1) * (h - 1)];
        int j = 0;
        for (int y = 0; y < h - 1; y++) {
            int i = y * w;
            for (int x = 0; x < w - 1; x++, i++) {
                c[j++] = (byte) (b[i] | b[i + 1] << 1 | b[i + w] << 2 | b[i + w + 1] << 3);
            }
        }
        return c;
    }

    /** The ordered, single-threaded part of the streaming pass. */
    private static final class Pass {
        final long[] hist = new long[256];
        final double[] profile;
        final ComponentTracker lt6;
        final ComponentTracker lt26;
        long pore;
        long inside;
        byte[] prevCode;

        Pass(int d, int[] box, boolean conn) {
            profile = new double[d];
            lt6 = conn ? new ComponentTracker(false, box) : null;
            lt26 = conn ? new ComponentTracker(true, box) : null;
        }

        void accept(SliceData s) {
            pore += s.pore;
            inside += s.inside;
            profile[s.z] = s.inside == 0 ? Double.NaN : (double) s.pore / s.inside;
            byte[] cur = s.code2;
            if (prevCode != null) {
                for (int i = 0; i < cur.length; i++) {
                    hist[prevCode[i] | cur[i] << 4]++;
                }
            }
            prevCode = cur;
            if (lt6 != null) {
                lt6.add(s.l4, s.z);
                lt26.add(s.l8, s.z);
            }
        }
    }
}

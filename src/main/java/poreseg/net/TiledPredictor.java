package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import poreseg.util.ParameterException;

/**
 * Predicts a whole slice of any size by tiles with overlap blending. The slice is mirror-padded to
 * a whole number of tiles (each at most {@code tile}, shrunk so that they cover the slice with little
 * padding); tiles start at multiples of the stride, a multiple of the network's step (so pooling
 * grids line up with whole-image inference) and are blended with weights that form a partition of unity: inside
 * an overlap band of width o, a tile's weight is 0 within o/4 of its edge, then rises linearly to 1 at
 * 3o/4, so each pixel gets predictions computed away from tile edges. Tiles are run in batches.
 */
public final class TiledPredictor {
    /** The network: NCHW probabilities from NCHW inputs. */
    @FunctionalInterface
    public interface Net {
        NDArray forward(NDArray input);
    }

    private final NDManager manager;
    private final Net net;
    private final int tile;
    private final int overlap;
    private final int batch;
    private final int multiple;

    public TiledPredictor(NDManager manager, Net net, int tile, int overlap, int batch, int multiple) {
        if (tile < multiple || tile % multiple != 0) {
            throw new ParameterException("tile size must be a positive multiple of " + multiple + ", got " + tile);
        }
        if (overlap < 0 || overlap % multiple != 0 || overlap > tile / 2) {
            throw new ParameterException("overlap must be a multiple of " + multiple + " between 0 and tile/2 (" + tile / 2 + "), got " + overlap);
        }
        if (batch < 1) {
            throw new ParameterException("batch must be >= 1, got " + batch);
        }
        this.manager = manager;
        this.net = net;
        this.tile = tile;
        this.overlap = overlap;
        this.batch = batch;
        this.multiple = multiple;
    }

    /** Tiling of one axis of length n. */
    private record Axis(int n, int size, int stride, int count) {
        int padded() {
            return (count - 1) * stride + size;
        }
    }

    /**
     * The tiling of an axis: as few tiles as {@code tile} allows, then each shrunk to the smallest size
     * (a multiple of the network's step) that still covers the axis with the same overlap, so the
     * padding past the image is less than one step per tile instead of up to a whole tile (1024 pixels
     * with tile 512, overlap 32: 3 tiles of 368 instead of 3 of 512, 8 % more pixels computed than the
     * image has instead of 50 %).
     */
    private Axis axis(int n) {
        if (n <= tile) {
            return new Axis(n, roundUp(n, multiple), 0, 1);
        }
        int count = ceilDiv(n - overlap, tile - overlap);
        int size = roundUp(ceilDiv(n - overlap, count) + overlap, multiple);
        return new Axis(n, size, size - overlap, count);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Pore probability (0..1) of every pixel of a scaled slice (row-major, width*height). */
    public float[] predict(float[] slice, int width, int height) {
        return predict(List.of(slice), width, height, null).get(0);
    }

    /**
     * Most network input pixels in one forward pass: batches of large tiles are cut to this (at least
     * one tile), so memory stays bounded whatever the tile size (a U-Net of width 16 holds about
     * 0.5 kB of activations a pixel).
     */
    public static final int MAX_BATCH_PIXELS = 1 << 20;

    /**
     * The default tile edge of inference (rounded down to the network's step): slices up to
     * 1024 x 1024 run whole, with no seams and no pixel computed twice; larger ones in tiles of at
     * most this, about 0.5 GB of activations for a U-Net of width 16. The network runs as fast per
     * pixel on one 1024 x 1024 tile as on a batch of 256 x 256 ones (docs/net.md#speed).
     */
    public static final int DEFAULT_TILE = 1024;

    /** {@link #DEFAULT_TILE} as a multiple of {@code multiple}, at least {@code atLeast}. */
    public static int defaultTile(int multiple, int atLeast) {
        return Math.max(atLeast, DEFAULT_TILE / multiple * multiple);
    }

    /** Tiles in one forward pass for tiles of {@code tw x th}: the batch size, cut to {@link #MAX_BATCH_PIXELS}. */
    int batchFor(int tw, int th) {
        return Math.max(1, Math.min(batch, MAX_BATCH_PIXELS / (tw * th)));
    }

    /**
     * How many slices of this size one forward pass can hold: more than one only when a slice fits
     * in one tile (small slices are then batched together, which is faster than one by one).
     */
    public int slicesPerPass(int width, int height) {
        Axis ax = axis(width);
        Axis ay = axis(height);
        return ax.count() * ay.count() == 1 ? batchFor(ax.size(), ay.size()) : 1;
    }

    /**
     * Pore probabilities of several slices of the same size, their tiles run together in batches
     * (small slices share a forward pass). With {@code rois} (one per slice, non-zero = inside; the
     * list or an entry may be null for everywhere), a tile whose blending weight is zero on every ROI
     * pixel is not run: ROI pixels get exactly the probabilities of a full run, and pixels that only
     * skipped tiles cover get 0.
     */
    public List<float[]> predict(List<float[]> slices, int width, int height, List<float[]> rois) {
        Axis ax = axis(width);
        Axis ay = axis(height);
        int pw = ax.padded();
        int ph = ay.padded();
        int tw = ax.size();
        int th = ay.size();
        int perSlice = ax.count() * ay.count();
        float[][] wx = new float[ax.count()][];
        float[][] wy = new float[ay.count()][];
        for (int k = 0; k < wx.length; k++) {
            wx[k] = weights(ax, k);
        }
        for (int k = 0; k < wy.length; k++) {
            wy[k] = weights(ay, k);
        }
        List<int[]> todo = new ArrayList<>(); // {slice, tile}
        for (int s = 0; s < slices.size(); s++) {
            float[] roi = rois == null ? null : rois.get(s);
            for (int t = 0; t < perSlice; t++) {
                if (roi == null || touches(roi, width, height, ax, ay, wx, wy, t)) {
                    todo.add(new int[] {s, t});
                }
            }
        }
        float[][] acc = new float[slices.size()][perSlice == 1 ? 0 : pw * ph];
        float[][] wsum = new float[slices.size()][perSlice == 1 ? 0 : pw * ph];
        float[][] direct = new float[slices.size()][];
        int nb = batchFor(tw, th);
        boolean whole = tw == width && th == height; // one tile is the slice itself: no copies in or out
        float[] in = whole && nb == 1 ? null : new float[Math.min(nb, Math.max(1, todo.size())) * th * tw];
        for (int start = 0; start < todo.size(); start += nb) {
            int n = Math.min(nb, todo.size() - start);
            float[] out;
            if (whole && n == 1) {
                out = run(slices.get(todo.get(start)[0]), 1, th, tw);
            } else {
                for (int k = 0; k < n; k++) {
                    int[] st = todo.get(start + k);
                    fill(slices.get(st[0]), width, height, in, k * th * tw, st[1] % ax.count() * ax.stride(), st[1] / ax.count() * ay.stride(), tw, th);
                }
                out = run(in, n, th, tw);
            }
            for (int k = 0; k < n; k++) {
                int[] st = todo.get(start + k);
                if (perSlice == 1) {
                    direct[st[0]] = n == 1 ? out : java.util.Arrays.copyOfRange(out, k * th * tw, (k + 1) * th * tw);
                    continue;
                }
                int kx = st[1] % ax.count();
                int ky = st[1] / ax.count();
                blend(out, k * th * tw, acc[st[0]], wsum[st[0]], pw, ax, ay, kx, ky, wx[kx], wy[ky]);
            }
        }
        List<float[]> probs = new ArrayList<>(slices.size());
        for (int s = 0; s < slices.size(); s++) {
            if (whole && direct[s] != null) { // one tile that is the slice: its own output array
                probs.add(direct[s]);
                continue;
            }
            if (perSlice == 1) { // one tile, weight 1 everywhere: its output is the probability
                float[] prob = new float[width * height];
                if (direct[s] != null) {
                    for (int y = 0; y < height; y++) {
                        System.arraycopy(direct[s], y * tw, prob, y * width, width);
                    }
                }
                probs.add(prob);
                continue;
            }
            float[] prob = new float[width * height];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int i = y * pw + x;
                    float ws = wsum[s][i];
                    prob[y * width + x] = ws > 0 ? acc[s][i] / ws : 0f;
                }
            }
            probs.add(prob);
        }
        return probs;
    }

    /** Copies tile (x0, y0) of a slice, mirrored past its edges, into {@code in} at {@code base}. */
    private static void fill(float[] slice, int width, int height, float[] in, int base, int x0, int y0, int tw, int th) {
        boolean inside = x0 + tw <= width; // no column needs mirroring: whole rows are copied
        for (int r = 0; r < th; r++) {
            int sy = mirror(y0 + r, height) * width;
            if (inside) {
                System.arraycopy(slice, sy + x0, in, base + r * tw, tw);
                continue;
            }
            for (int c = 0; c < tw; c++) {
                in[base + r * tw + c] = slice[sy + mirror(x0 + c, width)];
            }
        }
    }

    /** Whether tile t has a non-zero blending weight on some ROI pixel of the image. */
    private static boolean touches(float[] roi, int width, int height, Axis ax, Axis ay, float[][] wx, float[][] wy, int t) {
        int kx = t % ax.count();
        int ky = t / ax.count();
        int x0 = kx * ax.stride();
        int y0 = ky * ay.stride();
        for (int r = 0; r < ay.size() && y0 + r < height; r++) {
            if (wy[ky][r] == 0) {
                continue;
            }
            int row = (y0 + r) * width;
            for (int c = 0; c < ax.size() && x0 + c < width; c++) {
                if (wx[kx][c] != 0 && roi[row + x0 + c] != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A single image of at most this many pixels runs as a batch of two copies: libtorch sends a
     * convolution of one image under 20,480 input values to its native kernel rather than oneDNN's, and on
     * CPUs that NNPACK does not support (AMD EPYC) checking for NNPACK there printed "Could not
     * initialize NNPACK! Reason: Unsupported hardware" for every such call (scale selection's small
     * sample slices at factors 8-16, small single slices). Two copies take oneDNN's path, as every
     * larger pass does.
     */
    static final int DUPLICATE_SINGLE_PIXELS = 20480;

    private float[] run(float[] in, int n, int th, int tw) {
        int len = n * th * tw;
        boolean twice = n == 1 && th * tw <= DUPLICATE_SINGLE_PIXELS;
        try (NDManager sub = manager.newSubManager()) {
            NDArray x;
            if (twice) {
                float[] two = new float[2 * len];
                System.arraycopy(in, 0, two, 0, len);
                System.arraycopy(in, 0, two, len, len);
                x = sub.create(FloatBuffer.wrap(two), new Shape(2, 1, th, tw));
            } else {
                x = sub.create(FloatBuffer.wrap(in, 0, len), new Shape(n, 1, th, tw));
            }
            NDArray y = net.forward(x);
            float[] out = y.toFloatArray();
            y.close();
            return twice ? java.util.Arrays.copyOf(out, len) : out;
        }
    }

    private static void blend(float[] out, int base, float[] acc, float[] wsum, int pw, Axis ax, Axis ay, int kx, int ky, float[] wx, float[] wy) {
        int tw = ax.size();
        int th = ay.size();
        int x0 = kx * ax.stride();
        int y0 = ky * ay.stride();
        for (int r = 0; r < th; r++) {
            if (wy[r] == 0) {
                continue;
            }
            int row = (y0 + r) * pw + x0;
            for (int c = 0; c < tw; c++) {
                float w = wy[r] * wx[c];
                if (w != 0) {
                    acc[row + c] += w * out[base + r * tw + c];
                    wsum[row + c] += w;
                }
            }
        }
    }

    /** Blending weights along one axis for tile k: tapered only on sides that have a neighbour. */
    private float[] weights(Axis a, int k) {
        int size = a.size();
        float[] w = new float[size];
        int o = overlap;
        int m = o / 4;
        for (int d = 0; d < size; d++) {
            float v = 1f;
            if (o - 2 * m > 0) {
                if (k > 0) {
                    v = Math.min(v, ramp(d, m, o));
                }
                if (k < a.count() - 1) {
                    v = Math.min(v, ramp(size - 1 - d, m, o));
                }
            }
            w[d] = v;
        }
        return w;
    }

    private static float ramp(int d, int m, int o) {
        float v = (d - m + 0.5f) / (o - 2 * m);
        return v < 0 ? 0 : Math.min(1f, v);
    }

    /** Mirror index (reflect without repeating the edge pixel) into [0, n). */
    static int mirror(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int j = Math.floorMod(i, period);
        return j < n ? j : period - j;
    }

    private static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }

    /** Runs the network once on the whole slice (mirror-padded to a multiple of the pooling factor). */
    public float[] predictWhole(float[] slice, int width, int height) {
        int pw = roundUp(width, multiple);
        int ph = roundUp(height, multiple);
        float[] in = new float[pw * ph];
        fill(slice, width, height, in, 0, 0, 0, pw, ph);
        float[] out = run(in, 1, ph, pw);
        float[] prob = new float[width * height];
        for (int r = 0; r < height; r++) {
            System.arraycopy(out, r * pw, prob, r * width, width);
        }
        return prob;
    }
}

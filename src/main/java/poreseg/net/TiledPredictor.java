package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
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
        Axis ax = axis(width);
        Axis ay = axis(height);
        int pw = ax.padded();
        int ph = ay.padded();
        float[] acc = new float[pw * ph];
        float[] wsum = new float[pw * ph];
        int tw = ax.size();
        int th = ay.size();
        int tiles = ax.count() * ay.count();
        float[] in = new float[Math.min(batch, tiles) * th * tw];
        int[] pending = new int[Math.min(batch, tiles)];
        int n = 0;
        for (int t = 0; t < tiles; t++) {
            int ty = t / ax.count();
            int tx = t % ax.count();
            int x0 = tx * ax.stride();
            int y0 = ty * ay.stride();
            int base = n * th * tw;
            for (int r = 0; r < th; r++) {
                int sy = mirror(y0 + r, height) * width;
                for (int c = 0; c < tw; c++) {
                    in[base + r * tw + c] = slice[sy + mirror(x0 + c, width)];
                }
            }
            pending[n++] = t;
            if (n == pending.length || t == tiles - 1) {
                float[] out = run(in, n, th, tw);
                for (int k = 0; k < n; k++) {
                    int tk = pending[k];
                    int kx = tk % ax.count();
                    int ky = tk / ax.count();
                    blend(out, k * th * tw, acc, wsum, pw, ax, ay, kx, ky);
                }
                n = 0;
            }
        }
        float[] prob = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * pw + x;
                prob[y * width + x] = acc[i] / wsum[i];
            }
        }
        return prob;
    }

    private float[] run(float[] in, int n, int th, int tw) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = sub.create(FloatBuffer.wrap(in, 0, n * th * tw), new Shape(n, 1, th, tw));
            NDArray y = net.forward(x);
            float[] out = y.toFloatArray();
            y.close();
            return out;
        }
    }

    private void blend(float[] out, int base, float[] acc, float[] wsum, int pw, Axis ax, Axis ay, int kx, int ky) {
        int tw = ax.size();
        int th = ay.size();
        float[] wx = weights(ax, kx);
        float[] wy = weights(ay, ky);
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
        for (int r = 0; r < ph; r++) {
            for (int c = 0; c < pw; c++) {
                in[r * pw + c] = slice[mirror(r, height) * width + mirror(c, width)];
            }
        }
        float[] out = run(in, 1, ph, pw);
        float[] prob = new float[width * height];
        for (int r = 0; r < height; r++) {
            System.arraycopy(out, r * pw, prob, r * width, width);
        }
        return prob;
    }
}

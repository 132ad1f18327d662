package poreseg.synth;

/** Separable Gaussian blur of a float image with edge-clamped borders. */
final class Blur {
    private Blur() {
    }

    /** Returns a blurred copy; sigmas in pixels (below 0.2 px an axis is left as is). */
    static float[] gaussian(float[] src, int w, int h, double sx, double sy) {
        float[] tmp = new float[src.length];
        float[] out = new float[src.length];
        float[] kx = kernel(sx);
        float[] ky = kernel(sy);
        int rx = kx.length / 2;
        int ry = ky.length / 2;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int k = -rx; k <= rx; k++) {
                    int xx = x + k;
                    xx = xx < 0 ? 0 : xx >= w ? w - 1 : xx;
                    s += kx[k + rx] * src[row + xx];
                }
                tmp[row + x] = s;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int k = -ry; k <= ry; k++) {
                    int yy = y + k;
                    yy = yy < 0 ? 0 : yy >= h ? h - 1 : yy;
                    s += ky[k + ry] * tmp[yy * w + x];
                }
                out[y * w + x] = s;
            }
        }
        return out;
    }

    private static float[] kernel(double sigma) {
        if (sigma < 0.2) {
            return new float[] {1};
        }
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            double v = Math.exp(-0.5 * i * i / (sigma * sigma));
            k[i + r] = (float) v;
            sum += v;
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }
}

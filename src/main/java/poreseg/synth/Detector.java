package poreseg.synth;

import java.util.SplittableRandom;

/**
 * The detector of {@link SliceRenderer}: Poisson shot noise at {@code dose} electrons per solid
 * pixel plus Gaussian read noise, a one-pole low-pass along the fast scan axis (amplifier
 * bandwidth), then a 16-bit offset and gain, or the output levels of {@link Appearance#levels}.
 * Thread-safe.
 */
final class Detector {
    static final double OFFSET = 1500;
    static final double GAIN = 370;

    private final SynthParams params;
    private final Appearance look;
    private final int n;
    private final long seed;

    Detector(SynthParams params) {
        this.params = params;
        this.look = params.appearance();
        this.n = params.size();
        this.seed = params.seed();
    }

    /** Poisson-Gaussian detection and 16-bit conversion. */
    float[] detect(float[] img, int z) {
        double dose = params.dose();
        float[] out = new float[img.length];
        if (dose <= 0) {
            double g = GAIN * SynthParams.DEFAULT_DOSE;
            for (int o = 0; o < img.length; o++) {
                out[o] = look.levels() ? level(img[o]) : clamp16(OFFSET + g * Math.max(0, img[o]));
            }
            return out;
        }
        SplittableRandom r = new SplittableRandom(Hash.mix(seed, 31, z));
        double gain = GAIN * SynthParams.DEFAULT_DOSE / dose;
        double read = look.readNoise() * dose / SynthParams.DEFAULT_DOSE;
        double lagA = look.ampLag();
        boolean levels = look.levels();
        for (int j = 0; j < n; j++) {
            // detector amplifier bandwidth: a one-pole low-pass along the fast scan (x) direction
            double lag = 0;
            for (int i = 0; i < n; i++) {
                int o = j * n + i;
                double lambda = dose * Math.max(0, img[o]);
                double counts = poisson(lambda, r) + read * r.nextGaussian();
                lag = i == 0 ? counts : lagA * lag + (1 - lagA) * counts;
                out[o] = levels ? level(lag / dose) : clamp16(OFFSET + gain * lag);
            }
        }
        return out;
    }

    /**
     * Output mapping of {@link Appearance#levels}: signal (solid = 1) from black to white onto 0..1,
     * clipped (saturation), gamma, polarity, then 8- or 16-bit quantisation (8-bit levels x 257).
     */
    private float level(double signal) {
        double v = (signal - look.black()) / (look.white() - look.black());
        v = v <= 0 ? 0 : v >= 1 ? 1 : v;
        if (look.gamma() != 1) {
            v = Math.pow(v, look.gamma());
        }
        if (look.inverted()) {
            v = 1 - v;
        }
        return look.bits() == 8 ? (float) (Math.rint(v * 255) * 257) : (float) Math.rint(v * 65535);
    }

    private static float clamp16(double v) {
        return v <= 0 ? 0 : v >= 65535 ? 65535 : (float) Math.rint(v);
    }

    private static double poisson(double lambda, SplittableRandom r) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda > 40) {
            return Math.max(0, Math.rint(lambda + Math.sqrt(lambda) * r.nextGaussian()));
        }
        double l = Math.exp(-lambda);
        int k = 0;
        double p = r.nextDouble();
        while (p > l) {
            k++;
            p *= r.nextDouble();
        }
        return k;
    }
}

package poreseg.synth;

import java.util.SplittableRandom;

/**
 * Seeded 3D gradient noise (Perlin's improved noise) and its fractal sum. Values are in about
 * [-1, 1] with a standard deviation near 0.2 per octave; the feature size of one octave is one unit.
 * Immutable and thread-safe.
 */
final class Noise3 {
    private final int[] perm = new int[512];

    Noise3(long seed) {
        int[] p = new int[256];
        for (int i = 0; i < 256; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 255; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        for (int i = 0; i < 512; i++) {
            perm[i] = p[i & 255];
        }
    }

    double noise(double x, double y, double z) {
        double fx = Math.floor(x);
        double fy = Math.floor(y);
        double fz = Math.floor(z);
        int X = (int) fx & 255;
        int Y = (int) fy & 255;
        int Z = (int) fz & 255;
        x -= fx;
        y -= fy;
        z -= fz;
        double u = fade(x);
        double v = fade(y);
        double w = fade(z);
        int[] p = perm;
        int a = p[X] + Y;
        int aa = p[a] + Z;
        int ab = p[a + 1] + Z;
        int b = p[X + 1] + Y;
        int ba = p[b] + Z;
        int bb = p[b + 1] + Z;
        return lerp(w,
                lerp(v, lerp(u, grad(p[aa], x, y, z), grad(p[ba], x - 1, y, z)),
                        lerp(u, grad(p[ab], x, y - 1, z), grad(p[bb], x - 1, y - 1, z))),
                lerp(v, lerp(u, grad(p[aa + 1], x, y, z - 1), grad(p[ba + 1], x - 1, y, z - 1)),
                        lerp(u, grad(p[ab + 1], x, y - 1, z - 1), grad(p[bb + 1], x - 1, y - 1, z - 1))));
    }

    /** Sum of {@code octaves} octaves, each half the size and half the amplitude of the previous. */
    double fbm(double x, double y, double z, int octaves) {
        double sum = 0;
        double amp = 1;
        double norm = 0;
        for (int o = 0; o < octaves; o++) {
            sum += amp * noise(x, y, z);
            norm += amp;
            amp *= 0.5;
            x = x * 2 + 17.3;
            y = y * 2 + 5.1;
            z = z * 2 + 11.7;
        }
        return sum / norm * (octaves > 1 ? 1.4 : 1.0);
    }

    private static double fade(double t) {
        return t * t * t * (t * (t * 6 - 15) + 10);
    }

    private static double lerp(double t, double a, double b) {
        return a + t * (b - a);
    }

    private static double grad(int hash, double x, double y, double z) {
        int h = hash & 15;
        double u = h < 8 ? x : y;
        double v = h < 4 ? y : h == 12 || h == 14 ? x : z;
        return ((h & 1) == 0 ? u : -u) + ((h & 2) == 0 ? v : -v);
    }
}

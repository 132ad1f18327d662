package poreseg.synth;

import java.util.SplittableRandom;

/**
 * The scan artifacts of {@link SliceRenderer}: curtaining, shading, slice-to-slice brightness drift,
 * scan-line gain jitter and charging, applied to a blurred slice image in place. Thread-safe.
 */
final class ScanArtifacts {
    static final double PORE_CURTAIN_AMP = 0.035;
    static final double PORE_CURTAIN_NM = 600;

    private final Appearance look;
    private final int n;
    /** Voxel size x, y, z (nm). */
    private final double[] voxel;
    private final long seed;
    private final Noise3 curtainNoise;
    private final Noise3 shadeNoise;
    private final Noise3 chargeNoise;

    ScanArtifacts(SynthParams params) {
        this.look = params.appearance();
        this.n = params.size();
        this.voxel = params.voxelNm();
        this.seed = params.seed();
        curtainNoise = new Noise3(Hash.mix(seed, 11));
        shadeNoise = new Noise3(Hash.mix(seed, 12));
        chargeNoise = new Noise3(Hash.mix(seed, 15));
    }

    /**
     * Curtaining, shading and scan-line jitter. Stripes run along y (the ion beam's milling direction):
     * a heavy-tailed random profile across x that drifts slowly from slice to slice and strengthens down
     * the face, plus streaks that start below pores (uneven milling behind a void) and fade downwards.
     */
    void apply(float[] img, float[] voids, int z) {
        double vx = voxel[0];
        double vy = voxel[1];
        double vz = voxel[2];
        SplittableRandom r = new SplittableRandom(Hash.mix(seed, 21, z));
        double[] stripe = new double[n];
        double[] sign = new double[n];
        double zs = z * vz;
        for (int i = 0; i < n; i++) {
            double x = i * vx;
            stripe[i] = stripe(x, zs);
            sign[i] = curtainNoise.noise(x / 60.0 + 120, zs / 800.0, 9.5) >= 0 ? 1 : -1;
        }
        // tilted curtains: the profile is sampled along lines at curtainAngle from the vertical
        double tilt = Math.tan(Math.toRadians(look.curtainAngle()));
        int pad = (int) Math.ceil(Math.abs(tilt) * n / 2) + 2;
        double[] stripeExt = null;
        if (tilt != 0) {
            stripeExt = new double[n + 2 * pad];
            for (int i = 0; i < stripeExt.length; i++) {
                stripeExt[i] = stripe((i - pad) * vx, zs);
            }
        }
        double decay = Math.exp(-vy / PORE_CURTAIN_NM);
        double[] streak = new double[n];
        double phase = shadeNoise.noise(zs / 3000.0, 0.3, 0.7);
        // slice-to-slice brightness drift (beam current, detector): slow wander plus a small jump per slice
        double sliceGain = 1 + 0.08 * shadeNoise.noise(zs / 1500.0, 5.3, 2.1) + 0.004 * r.nextGaussian();
        for (int j = 0; j < n; j++) {
            double down = 0.5 + (double) j / n; // curtains grow down the face
            double row = 1 + look.scanJitter() * r.nextGaussian();
            double shadeY = 0.04 * look.shading() * ((double) j / n - 0.5);
            double shift = tilt * (j - n / 2.0);
            for (int i = 0; i < n; i++) {
                int o = j * n + i;
                streak[i] = streak[i] * decay + (1 - decay) * voids[o];
                double st = stripe[i];
                if (stripeExt != null) {
                    double pos = i + shift + pad;
                    int p0 = (int) Math.floor(pos);
                    double fr = pos - p0;
                    st = stripeExt[p0] + fr * (stripeExt[p0 + 1] - stripeExt[p0]);
                }
                double c = look.curtainAmp() * down * st + PORE_CURTAIN_AMP * sign[i] * Math.min(1, 4 * streak[i]);
                double shade = 1 + shadeY + 0.03 * look.shading() * phase * ((double) i / n - 0.5) * 2;
                img[o] = (float) (img[o] * sliceGain * shade * row * (1 + c) + 0.5 * c);
            }
        }
        if (look.charging() > 0) {
            // charging: slow bright blotches (insulating regions charge up and emit more)
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    double q = chargeNoise.fbm(i * vx / 900.0, j * vy / 900.0, zs / 2500.0, 2);
                    img[j * n + i] += (float) (look.charging() * Math.max(0, 2 * q));
                }
            }
        }
    }

    /** The curtaining profile at x (nm) on the slice at depth zs (nm): heavy-tailed, a few strong curtains. */
    private double stripe(double x, double zs) {
        double s = 0.55 * curtainNoise.noise(x / 45.0, zs / 600.0, 0.5)
                + 0.35 * curtainNoise.noise(x / 150.0 + 40, zs / 900.0, 3.5)
                + 0.25 * curtainNoise.noise(x / 25.0 + 80, zs / 300.0, 7.5);
        return Math.max(-1.2, Math.min(1.2, 2.2 * s * Math.abs(s) / 0.35));
    }
}

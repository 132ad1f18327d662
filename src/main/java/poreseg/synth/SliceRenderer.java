package poreseg.synth;

import java.util.SplittableRandom;

/**
 * Renders one slice of a {@link PoreGeometry} as a raw backscattered-electron (BSE) FIB-SEM image,
 * and gives the exact pore mask of the same slice plane. Stateless per call and thread-safe.
 *
 * <p>Image model, in the order applied (grey levels in units of the mean solid signal):
 * <ol>
 * <li>solid: a grey level per primary grain (channelling contrast), with a slow in-grain variation;</li>
 * <li>pores: the back wall of the pore, found by marching along the tilted viewing ray (38 degrees from
 * the face normal, the usual 52 degree SEM/FIB geometry) into the material behind the face; its signal
 * falls off as exp(-depth / 50 nm) and is blurred more the deeper it lies (shine-through);</li>
 * <li>bright rims on the solid side of pore edges (edge effect), also at the particle outline;</li>
 * <li>point-spread blur (Gaussian, sigma 8 nm);</li>
 * <li>artifacts (optional): vertical curtaining stripes whose profile drifts from slice to slice and
 * strengthens down the face, streaks below pores, slow shading, slice-to-slice brightness drift,
 * scan-line gain jitter, stage drift (shifts the sampled window; the truth shifts with it);</li>
 * <li>Poisson shot noise at {@code dose} electrons per solid pixel plus Gaussian read noise, a one-pole
 * low-pass along the fast scan axis (amplifier bandwidth), then a 16-bit detector offset and gain.</li>
 * </ol>
 * The artifacts are {@link ScanArtifacts}, the detection {@link Detector}.
 */
final class SliceRenderer {
    /** Mask bits of {@link #render}: inside the particle, pore. */
    static final int INSIDE = 1;
    static final int PORE = 2;
    static final double TILT_TAN = Math.tan(Math.toRadians(38));
    static final double MARCH_STEP = 5;
    static final double DEEP_BLUR_NM = 22;
    static final double DEEP_BLUR_DEPTH = 100;
    static final double MAX_DRIFT_PX = 8;

    private final PoreGeometry geo;
    private final SynthParams params;
    private final Appearance look;
    private final double maxDepth;
    private final double wallGain;
    private final double voidLevel;
    private final double depthDecay;
    private final int n;
    private final double vx;
    private final double vy;
    private final double vz;
    private final double[] driftX;
    private final double[] driftY;
    private final Noise3 toneNoise;
    private final long seed;
    private final ScanArtifacts artifacts;
    private final Detector detector;

    SliceRenderer(PoreGeometry geo, SynthParams params) {
        this.geo = geo;
        this.params = params;
        this.look = params.appearance();
        this.maxDepth = look.maxDepth();
        this.wallGain = look.wallGain();
        this.voidLevel = look.voidLevel();
        this.depthDecay = look.depthDecay();
        this.n = params.size();
        double[] v = params.voxelNm();
        vx = v[0];
        vy = v[1];
        vz = v[2];
        seed = params.seed();
        toneNoise = new Noise3(Hash.mix(seed, 13));
        artifacts = new ScanArtifacts(params);
        detector = new Detector(params);
        driftX = new double[params.slices()];
        driftY = new double[params.slices()];
        if (params.artifacts() && params.drift() > 0) {
            SplittableRandom r = new SplittableRandom(Hash.mix(seed, 14));
            double px = 0;
            double py = 0;
            double lim = MAX_DRIFT_PX;
            for (int z = 0; z < params.slices(); z++) {
                px = reflect(px + params.drift() / Math.sqrt(2) * r.nextGaussian(), lim);
                py = reflect(py + params.drift() / Math.sqrt(2) * r.nextGaussian(), lim);
                driftX[z] = px * vx;
                driftY[z] = py * vy;
            }
        }
    }

    private static double reflect(double v, double lim) {
        if (v > lim) {
            return 2 * lim - v;
        }
        if (v < -lim) {
            return -2 * lim - v;
        }
        return v;
    }

    /** Sample position (nm) of pixel (i, j) of slice z, drift included. */
    double sampleX(int i, int z) {
        return (i + 0.5) * vx + driftX[z];
    }

    double sampleY(int j, int z) {
        return (j + 0.5) * vy + driftY[z];
    }

    double sampleZ(int z) {
        return (z + 0.5) * vz;
    }

    /** Drift of slice z in nm: {dx, dy}. */
    double[] drift(int z) {
        return new double[] {driftX[z], driftY[z]};
    }

    /** The exact pore / particle masks of slice plane z: 1 = pore (inside the particle), 0 = not. */
    float[][] masks(int z) {
        PoreGeometry.Probe p = new PoreGeometry.Probe();
        float[] pore = new float[n * n];
        float[] inside = new float[n * n];
        double zz = sampleZ(z);
        for (int j = 0; j < n; j++) {
            double y = sampleY(j, z);
            for (int i = 0; i < n; i++) {
                geo.eval(sampleX(i, z), y, zz, p, false);
                int o = j * n + i;
                inside[o] = p.inside ? 1 : 0;
                pore[o] = p.inside && p.f < 0 ? 1 : 0;
            }
        }
        return new float[][] {pore, inside};
    }

    /** Renders slice z as 16-bit grey values (already rounded and clamped to 0..65535). */
    float[] image(int z) {
        return render(z, null);
    }

    /**
     * Renders slice z; if {@code stateOut} is not null it receives the exact masks of the plane,
     * {@link #INSIDE} | {@link #PORE} bits per pixel (the same as {@code masks(z)}).
     */
    float[] render(int z, byte[] stateOut) {
        PoreGeometry.Probe p = new PoreGeometry.Probe();
        int size = n * n;
        boolean[] pore = new boolean[size];
        boolean[] inside = new boolean[size];
        float[] base = new float[size];
        float[] wall = new float[size];
        float[] depth = new float[size];
        double zz = sampleZ(z);
        for (int j = 0; j < n; j++) {
            double y = sampleY(j, z);
            for (int i = 0; i < n; i++) {
                double x = sampleX(i, z);
                int o = j * n + i;
                geo.eval(x, y, zz, p, false);
                inside[o] = p.inside;
                if (!p.inside) {
                    // background: the particle's own surface behind the face may shine through
                    double[] hit = backgroundRay(x, y, zz, p);
                    base[o] = (float) hit[0];
                    wall[o] = (float) hit[0];
                    depth[o] = (float) hit[1];
                    continue;
                }
                if (p.f >= 0) {
                    double t = tone(p.grain, x, y, zz);
                    base[o] = (float) t;
                    wall[o] = (float) (t * wallGain);
                    continue;
                }
                pore[o] = true;
                // march along the viewing ray into the material behind the face
                double prevT = 0;
                double prevF = p.f;
                double t = 0;
                double w = voidLevel;
                double d = maxDepth;
                while (t < maxDepth) {
                    t += Math.max(MARCH_STEP, 0.7 * -prevF);
                    double qx = x;
                    double qy = y - t * TILT_TAN;
                    double qz = zz + t;
                    geo.eval(qx, qy, qz, p, false);
                    if (!p.inside) {
                        break;
                    }
                    if (p.f >= 0) {
                        double th = prevT + (t - prevT) * (-prevF) / (p.f - prevF);
                        d = th;
                        w = voidLevel + tone(p.grain, qx, qy, qz) * wallGain * Math.exp(-th / depthDecay);
                        break;
                    }
                    prevT = t;
                    prevF = p.f;
                }
                wall[o] = (float) w;
                depth[o] = (float) d;
            }
        }
        return finish(z, pore, inside, base, wall, depth, stateOut);
    }

    /**
     * The rest of {@link #render} once every pixel is traced: the state bits, shine-through, rims,
     * point-spread blur, artifacts and detection.
     */
    private float[] finish(int z, boolean[] pore, boolean[] inside, float[] base, float[] wall, float[] depth,
            byte[] stateOut) {
        int size = n * n;
        if (stateOut != null) {
            for (int o = 0; o < size; o++) {
                stateOut[o] = (byte) ((inside[o] ? INSIDE : 0) | (pore[o] ? PORE : 0));
            }
        }
        // shine-through: deeper walls blurrier
        float[] wallBlur = Blur.gaussian(wall, n, n, DEEP_BLUR_NM / vx, DEEP_BLUR_NM / vy);
        float[] voidMask = new float[size];
        for (int o = 0; o < size; o++) {
            if (pore[o] || !inside[o]) {
                double beta = 1 - Math.exp(-depth[o] / DEEP_BLUR_DEPTH);
                base[o] = (float) ((1 - beta) * wall[o] + beta * wallBlur[o]);
            }
            voidMask[o] = pore[o] || !inside[o] ? 1 : 0;
        }
        // bright rims on the solid side of pore and particle edges
        float[] rim = Blur.gaussian(voidMask, n, n, look.rimNm() / vx, look.rimNm() / vy);
        for (int o = 0; o < size; o++) {
            if (voidMask[o] == 0) {
                base[o] += (float) (look.rimGain() * 2 * rim[o] * base[o]);
            }
        }
        float[] img = Blur.gaussian(base, n, n, look.psfNm() / vx, look.psfNm() / vy);
        if (params.artifacts()) {
            artifacts.apply(img, voidMask, z);
        }
        return detector.detect(img, z);
    }

    /**
     * Signal and depth seen from a background pixel (particle mode): the viewing ray is followed
     * through the vacuum only where it passes the particle's bounding sphere, and the first solid it
     * meets within the maximum depth shines through like a pore's back wall. Returns {signal, depth}.
     */
    private double[] backgroundRay(double x, double y, double zz, PoreGeometry.Probe p) {
        double[] c = geo.centre();
        double rmax = geo.boundingRadius();
        double dy = y - c[1];
        double dz = zz - c[2];
        double dx = x - c[0];
        double a = 1 + TILT_TAN * TILT_TAN;
        double b = 2 * (-dy * TILT_TAN + dz);
        double cc = dx * dx + dy * dy + dz * dz - rmax * rmax;
        double disc = b * b - 4 * a * cc;
        if (disc <= 0) {
            return new double[] {voidLevel, maxDepth};
        }
        double sq = Math.sqrt(disc);
        double t0 = Math.max(0, (-b - sq) / (2 * a));
        double t1 = Math.min(maxDepth, (-b + sq) / (2 * a));
        double t = t0;
        while (t < t1) {
            double qx = x;
            double qy = y - t * TILT_TAN;
            double qz = zz + t;
            geo.eval(qx, qy, qz, p, false);
            if (p.inside && p.f >= 0) {
                return new double[] {voidLevel + tone(p.grain, qx, qy, qz) * wallGain * Math.exp(-t / depthDecay), t};
            }
            // in vacuum, step by most of the radial gap to the outline (sphere tracing); in open pores, fixed steps
            t += p.inside ? MARCH_STEP : Math.max(3 * MARCH_STEP, 0.8 * p.outsideBy / Math.sqrt(1 + TILT_TAN * TILT_TAN));
        }
        return new double[] {voidLevel, maxDepth};
    }

    /** Grain grey level: channelling contrast per grain plus a slow variation inside the grain. */
    private double tone(int grain, double x, double y, double z) {
        long h = Hash.mix(seed, 0x70E, grain);
        double g = gauss(h);
        double t = 1 + look.toneSd() * Math.max(-2.5, Math.min(2.5, g));
        return t * (1 + 0.04 * toneNoise.noise(x / 300, y / 300, z / 300));
    }

    private static double gauss(long h) {
        double u1 = Math.max(1e-12, Hash.unit(Hash.mix(h, 1)));
        double u2 = Hash.unit(Hash.mix(h, 2));
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}

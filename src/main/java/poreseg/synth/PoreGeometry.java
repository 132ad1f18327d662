package poreseg.synth;

import java.util.SplittableRandom;
import poreseg.util.ParameterException;

/**
 * The implicit 3D microstructure of a secondary particle, evaluated point by point (all lengths in nm,
 * in the frame of the volume: x, y across a slice, z the milling depth).
 *
 * <p>Primary grains are the cells of a power (weighted Voronoi) diagram of jittered-grid seeds, built
 * in a radially compressed space: the map {@code rho -> c (rho + rho0)^k} (k = 1 / elongation) makes
 * grains longer along the particle radius than across it, as in NCM811, and finer near the centre.
 * The pore field is {@code F = min(Fb, Fi)}; a point is pore where F &lt; 0.
 * <ul>
 * <li>{@code Fb = g12 + delta - s * m * j * (1 + a * r)}: intergranular pores. g12 is the distance (nm)
 * to the nearest grain boundary (bisector of the two nearest seeds), m in [0,1] a smooth noise that opens
 * only part of the boundary network, j &gt;= 1 widens pores at triple junctions and towards the particle core, r a fine noise that
 * makes pore walls irregular, s the pore half-width scale found by {@link #calibrate} so that the pore
 * fraction equals the requested porosity, delta a small offset that keeps closed boundaries closed.</li>
 * <li>{@code Fi}: intragranular pores, randomly placed and oriented rough ellipsoids (about 20-250 nm across).</li>
 * </ul>
 * F is continuous and roughly a signed distance in nm (|grad F| near 1), which the truth measurements use.
 * The pieces: {@link RadialWarp} (the compressed grain space), {@link GrainSeeds} (the grains),
 * {@link IntragranularPores}, {@link MissingGrains} (voids, open pores) and {@link BoundaryCracks};
 * this class adds the boundary network and calibrates its width.
 * Instances are immutable after {@link #calibrate} and thread-safe; callers pass their own {@link Probe}.
 */
final class PoreGeometry {
    /** Result of one evaluation; one per thread. */
    static final class Probe {
        boolean inside;
        double f;
        int grain;
        double g12;
        double mj;
        double rough;
        double fi;
        /** Particle mode, outside the particle: radial distance to its outline (nm). */
        double outsideBy;
        /** The fixed (not calibrated) pore fields together: intragranular, voids, cracks (exact modes only). */
        double fx;
        /** Parts of F (exact mode): intergranular network, void (missing grains), crack; fi above. */
        double fb;
        double fv;
        double fc;
        /** The void at this point comes from the open-pore (surface) term only. */
        boolean open;
        /** Scratch: the nearest grain seeds. */
        final GrainSeeds.Nearest near = new GrainSeeds.Nearest();
    }

    /** Pore family bits of {@link #families}. */
    static final int NETWORK = 1;
    static final int INTRA = 2;
    static final int VOID = 4;
    static final int CRACK = 8;
    static final int OPEN = 16;

    // --- model constants (nm) ---
    static final double OPEN_SCALE = 230;
    static final double OPEN_THRESHOLD = 0.18;
    static final double JUNCTION_RANGE = 60;
    static final double ROUGH_SCALE = 32;
    static final double CLOSED_OFFSET = 4;
    static final double ENVELOPE_AMP = 0.07;
    /** Frequency of the domain warp of the grain space (its amplitude: {@link Appearance#bendAmp}). */
    static final double BEND_FREQ = 0.6;
    /** Pores are wider towards the particle core (NCM811 cores are more porous): gain and range (x radius). */
    static final double CORE_GAIN = 1.0;
    static final double CORE_RANGE = 0.35;
    static final double ENVELOPE_ROUGH = 0.03;

    private final boolean particle;
    private final Appearance look;
    private final double grainWidth;
    private final double junctionGain;
    private final double roughAmp;
    private final double bendAmp;
    private final boolean extras;
    private final RadialWarp warp;
    private final double radius;

    private final Noise3 openNoise;
    /** Open-boundary threshold: lower (more boundaries open) for porosities above 8 %. */
    private final double openThreshold;
    private final Noise3 roughNoise;
    private final Noise3 envelopeNoise;
    private final Noise3 bendNoise;

    // the pore families besides the boundary network
    private final GrainSeeds seeds;
    private final IntragranularPores intra;
    private final MissingGrains voids;
    private final BoundaryCracks cracks;

    private double scale = Double.NaN;

    /**
     * @param box     the region where the field will be evaluated: {xmin, ymin, zmin, xmax, ymax, zmax} nm
     * @param volume  the volume proper {width, height, depth} nm (the crop or the field of view)
     */
    PoreGeometry(long seed, boolean particleMode, double[] box, double[] volume, double porosity, Appearance a) {
        this.particle = particleMode;
        this.look = a;
        this.grainWidth = a.grainWidth();
        this.junctionGain = a.junctionGain();
        this.roughAmp = a.roughAmp();
        this.bendAmp = a.bendAmp();
        this.voids = new MissingGrains(seed, particleMode, a);
        this.cracks = new BoundaryCracks(seed, a);
        this.extras = voids.present() || cracks.present();
        SplittableRandom rnd = new SplittableRandom(Hash.mix(seed, 0x6E6F));
        this.warp = RadialWarp.around(rnd, particleMode, box, volume, a.elongation(), grainWidth);
        this.radius = warp.radius;
        openNoise = new Noise3(Hash.mix(seed, 1));
        openThreshold = OPEN_THRESHOLD - 1.0 * Math.max(0, porosity - 0.08);
        roughNoise = new Noise3(Hash.mix(seed, 2));
        envelopeNoise = new Noise3(Hash.mix(seed, 3));
        bendNoise = new Noise3(Hash.mix(seed, 4));
        seeds = new GrainSeeds(seed, box, warp);
        // intragranular pores: about intraShare of the requested pore volume
        intra = new IntragranularPores(seed, box, a.intraShare() * porosity, a.intraRadius(), roughNoise);
    }

    /** Pore half-width scale s (nm), set by {@link #calibrate}. */
    double scale() {
        return scale;
    }

    /** Grain width and elongation of this model (nm, ratio). */
    double grainWidth() {
        return grainWidth;
    }

    Appearance appearance() {
        return look;
    }

    double radius() {
        return radius;
    }

    /** Radius of a sphere about {@link #centre()} that contains the whole particle (particle mode), nm. */
    double boundingRadius() {
        return radius * (1 + 1.5 * (ENVELOPE_AMP + ENVELOPE_ROUGH));
    }

    double[] centre() {
        return new double[] {warp.cx, warp.cy, warp.cz};
    }

    int intragranularPores() {
        return intra.count();
    }

    /**
     * Finds the scale s at which the pore fraction of {@code samples} random points of the region
     * [0,w)x[0,h)x[0,d) (inside the particle in particle mode) equals {@code porosity}, by bisection
     * (the pore set grows monotonically with s). Returns the share of the pore samples that lie in
     * intragranular pores.
     */
    double calibrate(double porosity, double[] volume, int samples, long seed) {
        return calibrate(porosity, volume, samples, seed, true);
    }

    /**
     * As above; with {@code strict} false a porosity that the microstructure cannot reach (a small crop
     * in a closed part of a randomised boundary network) is not an error: the pores open as far as
     * they can and the truth reports what was reached.
     */
    double calibrate(double porosity, double[] volume, int samples, long seed, boolean strict) {
        SplittableRandom r = new SplittableRandom(Hash.mix(seed, 0xCA1));
        double[] g = new double[samples];
        double[] mj = new double[samples];
        double[] fi = new double[samples];
        Probe p = new Probe();
        int n = 0;
        int tries = 0;
        int intraCount = 0;
        while (n < samples && tries < samples * 50) {
            tries++;
            double x = r.nextDouble() * volume[0];
            double y = r.nextDouble() * volume[1];
            double z = r.nextDouble() * volume[2];
            evalParts(x, y, z, p);
            if (!p.inside) {
                continue;
            }
            g[n] = p.g12 + CLOSED_OFFSET;
            mj[n] = p.mj * (1 + roughAmp * p.rough);
            fi[n] = p.fx;
            if (p.fi < 0) {
                intraCount++;
            }
            n++;
        }
        if (n < samples / 10) {
            throw new ParameterException("the particle fills almost none of the stack: use fewer slices or a larger {size}");
        }
        int intra = intraCount;
        double lo = 0;
        double hi = 50;
        while (fraction(g, mj, fi, n, hi) < porosity && hi < 1e6) {
            lo = hi;
            hi *= 2;
        }
        for (int it = 0; it < 60; it++) {
            double mid = 0.5 * (lo + hi);
            if (fraction(g, mj, fi, n, mid) < porosity) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        scale = 0.5 * (lo + hi);
        if (strict && fraction(g, mj, fi, n, scale) < 0.98 * porosity) {
            throw new ParameterException(String.format(java.util.Locale.ROOT,
                    "porosity %.3f cannot be reached by this microstructure (at most %.3f here)", porosity,
                    fraction(g, mj, fi, n, scale)));
        }
        double pore = fraction(g, mj, fi, n, scale) * n;
        return pore > 0 ? intra / pore : 0;
    }

    private static double fraction(double[] g, double[] mj, double[] fi, int n, double s) {
        int pore = 0;
        for (int i = 0; i < n; i++) {
            if (fi[i] < 0 || g[i] - s * mj[i] < 0) {
                pore++;
            }
        }
        return (double) pore / n;
    }

    /** Evaluates the field at a point. With {@code exact} false, F may be replaced by a lower bound where it is clearly positive. */
    void eval(double x, double y, double z, Probe p, boolean exact) {
        evalCore(x, y, z, p, exact ? 2 : 1);
    }

    /** Evaluates all parts (for calibration): g12, mj, rough, fi; f is not set. */
    private void evalParts(double x, double y, double z, Probe p) {
        evalCore(x, y, z, p, 0);
    }

    /** mode 0: parts only; 1: F with shortcut; 2: exact F. */
    private void evalCore(double x, double y, double z, Probe p, int mode) {
        double vx = x - warp.cx;
        double vy = y - warp.cy;
        double vz = z - warp.cz;
        double rho = Math.sqrt(vx * vx + vy * vy + vz * vz);
        double inv = rho > 1e-9 ? 1 / rho : 0;
        double ux = vx * inv;
        double uy = vy * inv;
        double uz = vz * inv;
        if (particle) {
            double env = envelope(ux, uy, uz);
            p.inside = rho < env;
            p.outsideBy = rho - env;
            if (!p.inside && mode != 0) {
                p.f = Double.POSITIVE_INFINITY;
                p.grain = -1;
                return;
            }
        } else {
            p.inside = true;
        }
        // warped radius and local length scale from tables (linear interpolation in rho)
        double rw = warp.radiusAt(rho);
        double sc = warp.scaleAt(rho);
        double wx = rw * ux;
        double wy = rw * uy;
        double wz = rw * uz;
        // gentle domain warp: curved, less polygonal grain boundaries
        double bx = wx * BEND_FREQ;
        double by = wy * BEND_FREQ;
        double bz = wz * BEND_FREQ;
        wx += bendAmp * bendNoise.noise(bx, by, bz);
        wy += bendAmp * bendNoise.noise(by + 31.7, bz + 11.3, bx + 5.9);
        wz += bendAmp * bendNoise.noise(bz + 17.1, bx + 43.9, by + 23.3);

        GrainSeeds.Nearest near = p.near;
        seeds.nearest(wx, wy, wz, near);
        p.grain = near.i1;
        double g12 = boundaryDistance(near.d1, near.d2, near.i2, sc);
        double g13 = boundaryDistance(near.d1, near.d3, near.i3, sc);
        p.g12 = g12;
        double core = rho / (CORE_RANGE * radius);
        double j = (1 + junctionGain * Math.exp(-g13 / JUNCTION_RANGE)) * (1 + CORE_GAIN * Math.exp(-core * core));
        poreField(x, y, z, p, mode, g12, g13, j);
    }

    /** The particle outline: its distance from the centre in the direction (ux, uy, uz), nm. */
    private double envelope(double ux, double uy, double uz) {
        return radius * (1 + ENVELOPE_AMP * envelopeNoise.fbm(ux * 1.6 + 7, uy * 1.6 + 7, uz * 1.6 + 7, 2)
                + ENVELOPE_ROUGH * envelopeNoise.fbm(ux * 14 + 3, uy * 14 + 3, uz * 14 + 3, 3));
    }

    /**
     * The second half of {@link #evalCore}: from the boundary distances g12, g13 (nm) and the
     * junction/core widening j, the network field Fb and the other families, into {@code p}.
     */
    private void poreField(double x, double y, double z, Probe p, int mode, double g12, double g13, double j) {
        double fb;
        if (mode == 1) {
            // far from any possible pore wall: a positive lower bound is enough
            double lower = g12 + CLOSED_OFFSET - scale * j * (1 + roughAmp);
            if (lower > 0) {
                double fi = intra.field(x, y, z);
                p.f = Math.min(lower, extras ? Math.min(fi, extraField(x, y, z, g12, g13, p)) : fi);
                return;
            }
        }
        double on = openNoise.fbm(x / OPEN_SCALE, y / OPEN_SCALE, z / OPEN_SCALE, 2);
        // clamped to [0, 1]: the shortcut bound in mode 1 relies on m <= 1
        double m = Math.min(1, Math.max(0, on - openThreshold) / (1 - openThreshold));
        double mj = m * j;
        p.mj = mj;
        if (mode == 0) {
            p.rough = rough(x, y, z);
            fb = Double.NaN;
        } else {
            double w = scale * mj;
            double lower = g12 + CLOSED_OFFSET - w * (1 + roughAmp);
            if (mode == 1 && lower > 0) {
                fb = lower;
            } else {
                double r = rough(x, y, z);
                p.rough = r;
                fb = g12 + CLOSED_OFFSET - w * (1 + roughAmp * r);
            }
        }
        double fi = intra.field(x, y, z);
        p.fi = fi;
        p.fb = fb;
        double fx = fi;
        if (extras) {
            fx = Math.min(fi, extraField(x, y, z, g12, g13, p));
        } else {
            p.fv = 1e9;
            p.fc = 1e9;
            p.open = false;
        }
        p.fx = fx;
        p.f = Math.min(fb, fx);
    }

    /**
     * The void and crack fields together (nm, roughly signed distances; 1e9 where absent), also
     * stored in {@code p.fv} and {@code p.fc}: see {@link MissingGrains} and {@link BoundaryCracks}.
     */
    private double extraField(double x, double y, double z, double g12, double g13, Probe p) {
        GrainSeeds.Nearest near = p.near;
        double fv = voids.field(near.i1, near.i2, near.i3, g12, g13, p);
        double fc = cracks.field(x, y, z, g12, p);
        return Math.min(fv, fc);
    }

    /**
     * The pore families at a point (bits {@link #NETWORK}, {@link #INTRA}, {@link #VOID},
     * {@link #CRACK}, {@link #OPEN}; 0 = solid or outside the particle): each bit is set where that
     * family's own field is negative. For validation.
     */
    int families(double x, double y, double z) {
        Probe p = new Probe();
        evalCore(x, y, z, p, 2);
        if (!p.inside || !(p.f < 0)) {
            return 0;
        }
        int b = 0;
        b |= p.fb < 0 ? NETWORK : 0;
        b |= p.fi < 0 ? INTRA : 0;
        b |= p.fv < 0 ? (p.open ? OPEN : VOID) : 0;
        b |= p.fc < 0 ? CRACK : 0;
        return b;
    }

    private double rough(double x, double y, double z) {
        return rough(roughNoise, x, y, z);
    }

    /** The wall roughness noise r in [-1, 1] (2 octaves of {@code noise} at {@link #ROUGH_SCALE}). */
    static double rough(Noise3 noise, double x, double y, double z) {
        double r = noise.fbm(x / ROUGH_SCALE, y / ROUGH_SCALE, z / ROUGH_SCALE, 2);
        return r > 1 ? 1 : r < -1 ? -1 : r;
    }

    /**
     * Distance-like measure (nm) from the point to the power bisector of two seeds: (da - db) / 2 in
     * warped units over the local mean scale. Unlike the exact distance (which divides by the seed
     * separation of that pair) it is continuous where the second-nearest seed changes, so the pore field
     * has no jumps; it equals the distance for a seed pair one grain apart.
     */
    private static double boundaryDistance(double da, double db, int ib, double scaleNm) {
        if (ib < 0) {
            return 1e9;
        }
        return (db - da) * 0.5 / scaleNm;
    }
}

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
    /** Length scale of the noise that decides which boundaries are cracked (nm): cracks span many grains. */
    static final double CRACK_SCALE = 700;

    private final boolean particle;
    private final Appearance look;
    private final double grainWidth;
    private final double junctionGain;
    private final double roughAmp;
    private final double bendAmp;
    private final boolean extras;
    private final Noise3 crackNoise;
    private final double crackThreshold;
    private final long voidSeed;
    private final double cx;
    private final double cy;
    private final double cz;
    private final double radius;
    private final double rho0;
    private final double k;
    private final double c;

    private final Noise3 openNoise;
    /** Open-boundary threshold: lower (more boundaries open) for porosities above 8 %. */
    private final double openThreshold;
    private final Noise3 roughNoise;
    private final Noise3 envelopeNoise;
    private final Noise3 bendNoise;

    // seeds on a grid in warped space
    private final int gx0;
    private final int gy0;
    private final int gz0;
    private final int gnx;
    private final int gny;
    private final int gnz;
    private final float[] seeds; // x, y, z, weight per cell (float: 16 bytes per grain cell)

    private final IntragranularPores intra;

    private static final int LUT_SIZE = 16384;
    private final double lutInvStep;
    private final double[] lutRw;
    private final double[] lutScale;

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
        this.extras = a.voidGrains() > 0 || a.cracks() || (particleMode && a.openPores() > 0);
        this.crackNoise = new Noise3(Hash.mix(seed, 5));
        this.crackThreshold = 0.35 - 0.6 * a.crackDensity();
        this.voidSeed = Hash.mix(seed, 0x701D);
        SplittableRandom rnd = new SplittableRandom(Hash.mix(seed, 0x6E6F));
        double qx = volume[0] / 2;
        double qy = volume[1] / 2;
        double qz = volume[2] / 2;
        double rhoRef;
        if (particleMode) {
            radius = 0.45 * Math.min(volume[0], volume[1]);
            cx = qx;
            cy = qy;
            cz = qz;
            rhoRef = 0.6 * radius;
        } else {
            double halfDiag = 0.5 * Math.sqrt(volume[0] * volume[0] + volume[1] * volume[1] + volume[2] * volume[2]);
            radius = Math.max(5000, 2.4 * halfDiag);
            double[] u = randomDirection(rnd);
            rhoRef = 0.5 * radius;
            cx = qx - rhoRef * u[0];
            cy = qy - rhoRef * u[1];
            cz = qz - rhoRef * u[2];
        }
        rho0 = 0.05 * radius;
        k = 1 / a.elongation();
        c = rhoRef / (grainWidth * Math.pow(rhoRef + rho0, k));
        double rhoMax = 0;
        for (int corner = 0; corner < 8; corner++) {
            double ex = ((corner & 1) == 0 ? box[0] : box[3]) - cx;
            double ey = ((corner & 2) == 0 ? box[1] : box[4]) - cy;
            double ez = ((corner & 4) == 0 ? box[2] : box[5]) - cz;
            rhoMax = Math.max(rhoMax, Math.sqrt(ex * ex + ey * ey + ez * ez));
        }
        double step = rhoMax * 1.01 / LUT_SIZE;
        lutInvStep = 1 / step;
        lutRw = new double[LUT_SIZE + 1];
        lutScale = new double[LUT_SIZE + 1];
        for (int i = 0; i <= LUT_SIZE; i++) {
            double r = Math.max(i * step, 0.5 * step);
            lutRw[i] = warpedRadius(i * step);
            lutScale[i] = localScale(r);
        }
        openNoise = new Noise3(Hash.mix(seed, 1));
        openThreshold = OPEN_THRESHOLD - 1.0 * Math.max(0, porosity - 0.08);
        roughNoise = new Noise3(Hash.mix(seed, 2));
        envelopeNoise = new Noise3(Hash.mix(seed, 3));
        bendNoise = new Noise3(Hash.mix(seed, 4));

        // bounds of the warped box, from a grid of samples over the box
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        int n = 24;
        double[] w = new double[3];
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= n; j++) {
                for (int l = 0; l <= n; l++) {
                    warp(box[0] + (box[3] - box[0]) * i / n, box[1] + (box[4] - box[1]) * j / n,
                            box[2] + (box[5] - box[2]) * l / n, w);
                    for (int ax = 0; ax < 3; ax++) {
                        lo[ax] = Math.min(lo[ax], w[ax]);
                        hi[ax] = Math.max(hi[ax], w[ax]);
                    }
                }
            }
        }
        gx0 = (int) Math.floor(lo[0]) - 3;
        gy0 = (int) Math.floor(lo[1]) - 3;
        gz0 = (int) Math.floor(lo[2]) - 3;
        gnx = (int) Math.floor(hi[0]) + 4 - gx0;
        gny = (int) Math.floor(hi[1]) + 4 - gy0;
        gnz = (int) Math.floor(hi[2]) + 4 - gz0;
        long cells = (long) gnx * gny * gnz;
        if (cells > 40_000_000L) {
            throw new ParameterException("volume too large for the grain model (" + cells
                    + " grain cells, at most 40 million: use fewer pixels or slices, or larger voxels)");
        }
        seeds = new float[(int) cells * 4];
        for (int i = 0; i < cells; i++) {
            int ix = i % gnx;
            int iy = (i / gnx) % gny;
            int iz = i / (gnx * gny);
            long h = Hash.mix(seed, 0x5EED, ((long) (ix + gx0) * 73856093L) ^ ((long) (iy + gy0) * 19349663L) ^ ((long) (iz + gz0) * 83492791L));
            seeds[4 * i] = (float) (ix + gx0 + Hash.unit(Hash.mix(h, 1)));
            seeds[4 * i + 1] = (float) (iy + gy0 + Hash.unit(Hash.mix(h, 2)));
            seeds[4 * i + 2] = (float) (iz + gz0 + Hash.unit(Hash.mix(h, 3)));
            seeds[4 * i + 3] = (float) (0.3 * Hash.unit(Hash.mix(h, 4)));
        }

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
        return new double[] {cx, cy, cz};
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
        double vx = x - cx;
        double vy = y - cy;
        double vz = z - cz;
        double rho = Math.sqrt(vx * vx + vy * vy + vz * vz);
        double inv = rho > 1e-9 ? 1 / rho : 0;
        double ux = vx * inv;
        double uy = vy * inv;
        double uz = vz * inv;
        if (particle) {
            double env = radius * (1 + ENVELOPE_AMP * envelopeNoise.fbm(ux * 1.6 + 7, uy * 1.6 + 7, uz * 1.6 + 7, 2)
                    + ENVELOPE_ROUGH * envelopeNoise.fbm(ux * 14 + 3, uy * 14 + 3, uz * 14 + 3, 3));
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
        double tpos = rho * lutInvStep;
        int ti = (int) tpos;
        double rw;
        double sc;
        if (ti < LUT_SIZE) {
            double fr = tpos - ti;
            rw = lutRw[ti] + fr * (lutRw[ti + 1] - lutRw[ti]);
            sc = lutScale[ti] + fr * (lutScale[ti + 1] - lutScale[ti]);
        } else {
            rw = warpedRadius(rho);
            sc = localScale(rho);
        }
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

        int ix = (int) Math.floor(wx) - gx0;
        int iy = (int) Math.floor(wy) - gy0;
        int iz = (int) Math.floor(wz) - gz0;
        double d1 = Double.MAX_VALUE;
        double d2 = Double.MAX_VALUE;
        double d3 = Double.MAX_VALUE;
        int i1 = -1;
        int i2 = -1;
        int i3 = -1;
        float[] s = seeds;
        for (int dz = -1; dz <= 1; dz++) {
            int zz = iz + dz;
            if (zz < 0 || zz >= gnz) {
                continue;
            }
            for (int dy = -1; dy <= 1; dy++) {
                int yy = iy + dy;
                if (yy < 0 || yy >= gny) {
                    continue;
                }
                int base = (zz * gny + yy) * gnx;
                for (int dx = -1; dx <= 1; dx++) {
                    int xx = ix + dx;
                    if (xx < 0 || xx >= gnx) {
                        continue;
                    }
                    int o = 4 * (base + xx);
                    double ex = wx - s[o];
                    double ey = wy - s[o + 1];
                    double ez = wz - s[o + 2];
                    double d = ex * ex + ey * ey + ez * ez - s[o + 3];
                    if (d < d3) {
                        int id = base + xx;
                        if (d < d2) {
                            d3 = d2;
                            i3 = i2;
                            if (d < d1) {
                                d2 = d1;
                                i2 = i1;
                                d1 = d;
                                i1 = id;
                            } else {
                                d2 = d;
                                i2 = id;
                            }
                        } else {
                            d3 = d;
                            i3 = id;
                        }
                    }
                }
            }
        }
        p.grain = i1;
        double g12 = boundaryDistance(d1, d2, i2, sc);
        double g13 = boundaryDistance(d1, d3, i3, sc);
        p.g12 = g12;
        double core = rho / (CORE_RANGE * radius);
        double j = (1 + junctionGain * Math.exp(-g13 / JUNCTION_RANGE)) * (1 + CORE_GAIN * Math.exp(-core * core));
        double fb;
        if (mode == 1) {
            // far from any possible pore wall: a positive lower bound is enough
            double lower = g12 + CLOSED_OFFSET - scale * j * (1 + roughAmp);
            if (lower > 0) {
                double fi = intra.field(x, y, z);
                p.f = Math.min(lower, extras ? Math.min(fi, extraField(x, y, z, i1, i2, i3, g12, g13, p)) : fi);
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
            fx = Math.min(fi, extraField(x, y, z, i1, i2, i3, g12, g13, p));
        } else {
            p.fv = 1e9;
            p.fc = 1e9;
            p.open = false;
        }
        p.fx = fx;
        p.f = Math.min(fb, fx);
    }

    /**
     * The void and crack fields (nm, roughly signed distances; 1e9 where absent), also stored in
     * {@code p.fv} and {@code p.fc}. Voids: a grain is missing when its hash falls below
     * {@code voidGrains} (plus, in particle mode, {@code openPores} decaying over one grain width below
     * the outline: open pores at the surface); the void is the missing grains' cells, so its walls are
     * the neighbouring grains' faces. Cracks: the boundary network where a large-scale noise exceeds a
     * threshold, opened to {@code crackWidth} at most.
     */
    private double extraField(double x, double y, double z, int i1, int i2, int i3, double g12, double g13, Probe p) {
        double q = look.voidGrains();
        double qOpen = 0;
        if (particle && look.openPores() > 0) {
            qOpen = look.openPores() * Math.exp(Math.min(0, p.outsideBy) / grainWidth);
        }
        double fv = 1e9;
        boolean open = false;
        if (q > 0 || qOpen > 0) {
            double u1 = grainUnit(i1);
            boolean m1 = u1 < q + qOpen;
            boolean m2 = i2 >= 0 && grainUnit(i2) < q + qOpen;
            boolean m3 = i3 >= 0 && grainUnit(i3) < q + qOpen;
            if (m1) {
                fv = !m2 ? -g12 : !m3 ? -g13 : -Math.max(g13, 3);
                open = u1 >= q;
            } else {
                fv = m2 ? g12 : m3 ? g13 : 1e9;
            }
        }
        double fc = 1e9;
        if (look.cracks() && g12 < look.crackWidth()) {
            double on = crackNoise.fbm(x / CRACK_SCALE, y / CRACK_SCALE, z / CRACK_SCALE, 2);
            double mc = Math.min(1, Math.max(0, on - crackThreshold) / (1 - crackThreshold));
            fc = g12 - look.crackWidth() * mc;
        }
        p.fv = fv;
        p.fc = fc;
        p.open = open;
        return Math.min(fv, fc);
    }

    private double grainUnit(int cell) {
        return Hash.unit(Hash.mix(voidSeed, cell));
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

    /** Radius in warped space (grain-cell units) of a point at distance rho (nm) from the centre. */
    private double warpedRadius(double rho) {
        return c * Math.pow(rho + rho0, k);
    }

    /**
     * Warped units per nm, the geometric mean of the tangential (rw / rho) and radial (d rw / d rho)
     * scales: converts warped boundary distances to nm.
     */
    private double localScale(double rho) {
        double rw = warpedRadius(rho);
        double at = rw / rho;
        double ar = k * rw / (rho + rho0);
        return Math.cbrt(at * at * ar);
    }

    /** Maps a point (nm) to the warped space where grains are unit-size Voronoi cells. */
    private void warp(double x, double y, double z, double[] out) {
        double vx = x - cx;
        double vy = y - cy;
        double vz = z - cz;
        double rho = Math.sqrt(vx * vx + vy * vy + vz * vz);
        double inv = rho > 1e-9 ? 1 / rho : 0;
        double rw = warpedRadius(rho);
        out[0] = rw * vx * inv;
        out[1] = rw * vy * inv;
        out[2] = rw * vz * inv;
    }

    private static double[] randomDirection(SplittableRandom r) {
        double z = 2 * r.nextDouble() - 1;
        double phi = 2 * Math.PI * r.nextDouble();
        double s = Math.sqrt(1 - z * z);
        return new double[] {s * Math.cos(phi), s * Math.sin(phi), z};
    }
}

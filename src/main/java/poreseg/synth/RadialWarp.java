package poreseg.synth;

import java.util.SplittableRandom;

/**
 * The radially compressed space in which a particle's primary grains are unit-size Voronoi cells:
 * the map {@code rho -> c (rho + rho0)^k} (k = 1 / elongation) of the distance rho (nm) from the
 * particle centre makes grains longer along the radius than across it, and finer near the centre.
 * The warped radius and the local length scale are tabulated over the evaluation box and
 * interpolated linearly in rho. Immutable.
 */
final class RadialWarp {
    private static final int LUT_SIZE = 16384;

    /** The particle centre (nm). */
    final double cx;
    final double cy;
    final double cz;
    /** The particle radius (nm); in a crop of a large particle, the radius of that particle. */
    final double radius;
    private final double rho0;
    private final double k;
    private final double c;
    private final double lutInvStep;
    private final double[] lutRw;
    private final double[] lutScale;

    /**
     * The particle around the volume: centred in it (particle mode) or, for a crop, a particle of
     * at least 5 um whose centre lies in a random direction ({@code rnd}) outside the volume.
     *
     * @param box    the region where the field will be evaluated: {xmin, ymin, zmin, xmax, ymax, zmax} nm
     * @param volume the volume proper {width, height, depth} nm
     */
    static RadialWarp around(SplittableRandom rnd, boolean particleMode, double[] box, double[] volume,
            double elongation, double grainWidth) {
        double qx = volume[0] / 2;
        double qy = volume[1] / 2;
        double qz = volume[2] / 2;
        if (particleMode) {
            double radius = 0.45 * Math.min(volume[0], volume[1]);
            return new RadialWarp(qx, qy, qz, radius, 0.6 * radius, elongation, grainWidth, box);
        }
        double halfDiag = 0.5 * Math.sqrt(volume[0] * volume[0] + volume[1] * volume[1] + volume[2] * volume[2]);
        double radius = Math.max(5000, 2.4 * halfDiag);
        double[] u = randomDirection(rnd);
        double rhoRef = 0.5 * radius;
        return new RadialWarp(qx - rhoRef * u[0], qy - rhoRef * u[1], qz - rhoRef * u[2], radius, rhoRef,
                elongation, grainWidth, box);
    }

    /** rhoRef: the distance from the centre at which grains are {@code grainWidth} wide. */
    private RadialWarp(double cx, double cy, double cz, double radius, double rhoRef, double elongation,
            double grainWidth, double[] box) {
        this.cx = cx;
        this.cy = cy;
        this.cz = cz;
        this.radius = radius;
        rho0 = 0.05 * radius;
        k = 1 / elongation;
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
    }

    /** The warped radius at distance rho from the centre, from the table where it reaches. */
    double radiusAt(double rho) {
        double tpos = rho * lutInvStep;
        int ti = (int) tpos;
        return ti < LUT_SIZE ? interpolate(lutRw, tpos, ti) : warpedRadius(rho);
    }

    /** The local scale (warped units per nm) at distance rho from the centre, from the table where it reaches. */
    double scaleAt(double rho) {
        double tpos = rho * lutInvStep;
        int ti = (int) tpos;
        return ti < LUT_SIZE ? interpolate(lutScale, tpos, ti) : localScale(rho);
    }

    /** Linear interpolation in a table at position tpos (entry ti = floor(tpos)). */
    private static double interpolate(double[] lut, double tpos, int ti) {
        double fr = tpos - ti;
        return lut[ti] + fr * (lut[ti + 1] - lut[ti]);
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

    /** Maps a point (nm) to the warped space (without the tables; for the bounds of a box). */
    void warp(double x, double y, double z, double[] out) {
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

package poreseg.morpho;

/** The unit normal (right-hand rule) of a triangle given as 9 coordinates x0 y0 z0 x1 y1 z1 x2 y2 z2. */
public final class TriangleNormal {
    private TriangleNormal() {
    }

    /** Unit normal of the triangle, or null when it is degenerate (zero area). */
    public static double[] of(double x0, double y0, double z0, double x1, double y1, double z1, double x2, double y2, double z2) {
        double ux = x1 - x0;
        double uy = y1 - y0;
        double uz = z1 - z0;
        double vx = x2 - x0;
        double vy = y2 - y0;
        double vz = z2 - z0;
        double nx = uy * vz - uz * vy;
        double ny = uz * vx - ux * vz;
        double nz = ux * vy - uy * vx;
        double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
        return len > 0 ? new double[] {nx / len, ny / len, nz / len} : null;
    }

    public static double[] of(float[] v) {
        return of(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
    }

    public static double[] of(double[] v) {
        return of(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
    }
}

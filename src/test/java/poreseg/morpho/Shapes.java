package poreseg.morpho;

import java.util.ArrayList;
import java.util.List;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;

/** Synthetic binary volumes for tests (255 = pore). */
final class Shapes {
    interface Inside {
        boolean test(int x, int y, int z);
    }

    private Shapes() {
    }

    static ArrayVolume volume(int w, int h, int d, Calibration c, Inside f) {
        List<float[]> s = new ArrayList<>();
        for (int z = 0; z < d; z++) {
            float[] a = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (f.test(x, y, z)) {
                        a[y * w + x] = 255;
                    }
                }
            }
            s.add(a);
        }
        return new ArrayVolume(new StackInfo(w, h, d, PixelType.U8, c), s);
    }

    /**
     * Ellipsoid with physical semi-axes a, b, c centred (with a sub-voxel offset) in a volume with
     * a margin of 3 voxels.
     */
    static ArrayVolume ellipsoid(double a, double b, double cz, Calibration cal) {
        int w = (int) Math.ceil(2 * a / cal.x()) + 7;
        int h = (int) Math.ceil(2 * b / cal.y()) + 7;
        int d = (int) Math.ceil(2 * cz / cal.z()) + 7;
        double x0 = (w - 1) / 2.0 + 0.17;
        double y0 = (h - 1) / 2.0 - 0.23;
        double z0 = (d - 1) / 2.0 + 0.31;
        return volume(w, h, d, cal, (x, y, z) -> {
            double u = (x - x0) * cal.x() / a;
            double v = (y - y0) * cal.y() / b;
            double t = (z - z0) * cal.z() / cz;
            return u * u + v * v + t * t <= 1;
        });
    }

    /** Surface area of an ellipsoid by numerical integration of the parametric surface. */
    static double ellipsoidArea(double a, double b, double c) {
        int n = 2000;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double th = Math.PI * (i + 0.5) / n;
            double st = Math.sin(th);
            double ct = Math.cos(th);
            for (int j = 0; j < 2 * n; j++) {
                double ph = Math.PI * (j + 0.5) / n;
                double sp = Math.sin(ph);
                double cp = Math.cos(ph);
                // |r_theta x r_phi| for r = (a st cp, b st sp, c ct)
                double nx = b * c * st * st * cp;
                double ny = a * c * st * st * sp;
                double nz = a * b * st * ct;
                sum += Math.sqrt(nx * nx + ny * ny + nz * nz);
            }
        }
        return sum * (Math.PI / n) * (Math.PI / n);
    }
}

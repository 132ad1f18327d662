package poreseg.metrics;

import java.util.Map;
import poreseg.io.Calibration;
import poreseg.io.DataException;
import poreseg.io.Volume;

/** Checks that volumes to be compared voxel by voxel share one grid: the same size and voxel size. */
public final class Grids {
    private static final Map<String, Double> TO_NM = Map.of("nm", 1.0, "um", 1e3, "mm", 1e6, "cm", 1e7, "m", 1e9,
            "pm", 1e-3, "A", 0.1);

    private Grids() {
    }

    /**
     * Checks {@code other} against {@code ref}: same width, height and depth; and, when both are
     * calibrated (unit other than "pixel"), the same voxel size within 0.01 %, in any length unit.
     * An uncalibrated volume matches any voxel size (PNG masks carry none).
     *
     * @param known the calibration found so far (or null)
     * @return the calibration shared by the volumes checked so far (NONE when none is calibrated)
     * @throws DataException naming {@code other} when it does not match
     */
    public static Calibration check(Volume ref, Volume other, Calibration known) {
        Calibration a = known != null ? known : ref.info().calibration();
        if (other == null) {
            return a;
        }
        if (!ref.info().sameShape(other.info())) {
            throw new DataException(other.source() + ": size " + other.info().shape() + " (width x height x slices) differs from "
                    + ref.source() + " (" + ref.info().shape() + ")");
        }
        Calibration b = other.info().calibration();
        if (uncalibrated(b)) {
            return a;
        }
        if (uncalibrated(a)) {
            return b;
        }
        if (!sameVoxel(a, b)) {
            throw new DataException(other.source() + ": voxel size " + b + " differs from " + ref.source() + " (" + a
                    + "); resample one of them, or fix the calibration (Fiji: Image > Properties)");
        }
        return a;
    }

    static boolean uncalibrated(Calibration c) {
        return c.unit().equals("pixel");
    }

    /** Same voxel size within a relative 1e-4, converting between nm, um, mm, cm, m. */
    public static boolean sameVoxel(Calibration a, Calibration b) {
        double fa = 1;
        double fb = 1;
        if (!a.unit().equals(b.unit())) {
            Double ua = TO_NM.get(a.unit());
            Double ub = TO_NM.get(b.unit());
            if (ua == null || ub == null) {
                return false;
            }
            fa = ua;
            fb = ub;
        }
        return close(a.x() * fa, b.x() * fb) && close(a.y() * fa, b.y() * fb) && close(a.z() * fa, b.z() * fb);
    }

    private static boolean close(double u, double v) {
        return Math.abs(u - v) <= 1e-4 * Math.max(Math.abs(u), Math.abs(v));
    }
}

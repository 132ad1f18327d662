package poreseg.io;

import java.util.Locale;
import poreseg.util.ParameterException;

/**
 * Physical voxel size: width (x), height (y), depth (z, the slice spacing) and their unit.
 * A voxel of an uncalibrated stack is 1 x 1 x 1 "pixel".
 */
public record Calibration(double x, double y, double z, String unit) {

    public static final Calibration NONE = new Calibration(1, 1, 1, "pixel");

    public Calibration {
        if (!(x > 0) || !(y > 0) || !(z > 0) || Double.isInfinite(x) || Double.isInfinite(y) || Double.isInfinite(z)) {
            throw new ParameterException("voxel size must be positive and finite, got " + x + "," + y + "," + z);
        }
        unit = canonicalUnit(unit);
    }

    /**
     * Nanometres in one {@code unit} of length (after {@link #canonicalUnit}), or NaN for "pixel" and
     * units that are not lengths.
     */
    public static double nanometres(String unit) {
        return switch (canonicalUnit(unit)) {
            case "pm" -> 1e-3;
            case "A", "\u00c5" -> 0.1;
            case "nm" -> 1;
            case "um" -> 1e3;
            case "mm" -> 1e6;
            case "cm" -> 1e7;
            case "m" -> 1e9;
            case "inch", "in" -> 2.54e7;
            default -> Double.NaN;
        };
    }

    public double voxelVolume() {
        return x * y * z;
    }

    public Calibration withUnit(String newUnit) {
        return new Calibration(x, y, z, newUnit);
    }

    /**
     * This calibration (a file's) with what a user gave in its place: {@code voxel} ("X,Y,Z" or one
     * number; null keeps the numbers) in {@code unit} (null keeps the unit).
     */
    public Calibration overriddenBy(String voxel, String unit) {
        if (voxel == null) {
            return unit == null ? this : withUnit(unit);
        }
        return parseVoxel(voxel, unit == null ? this.unit : unit);
    }

    /** Parses "X,Y,Z" (or one number for an isotropic voxel) keeping this unit. */
    public static Calibration parseVoxel(String text, String unit) {
        String[] parts = text.split(",");
        try {
            if (parts.length == 1) {
                double v = Double.parseDouble(parts[0].trim());
                return new Calibration(v, v, v, unit);
            }
            if (parts.length == 3) {
                return new Calibration(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()),
                        Double.parseDouble(parts[2].trim()), unit);
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new ParameterException("voxel size must be X,Y,Z or one number, got '" + text + "'");
    }

    /** Units of length a user may give (after {@link #canonicalUnit}); "pixel" means uncalibrated. */
    public static final java.util.List<String> LENGTH_UNITS = java.util.List.of("pixel", "pm", "A", "nm", "um", "mm", "cm", "m",
            "inch");

    /**
     * The canonical spelling of a unit of length given by a user (e.g. "micron" -> "um"), or an
     * IllegalArgumentException listing the accepted units: areas and volumes would be meaningless in
     * anything else.
     */
    public static String lengthUnit(String unit) {
        String u = canonicalUnit(unit);
        if (u.equals("\u00c5") || u.equalsIgnoreCase("angstrom")) {
            u = "A";
        }
        if (u.equals("in")) {
            u = "inch";
        }
        if (!LENGTH_UNITS.contains(u)) {
            throw new ParameterException("unit must be a length (" + String.join(", ", LENGTH_UNITS) + "), got '" + unit + "'");
        }
        return u;
    }

    /** ImageJ writes micrometres as "micron"; we use "um". Empty or null becomes "pixel". */
    static String canonicalUnit(String unit) {
        if (unit == null || unit.isBlank()) {
            return "pixel";
        }
        String u = unit.trim();
        String l = u.toLowerCase(Locale.ROOT);
        if (l.equals("micron") || l.equals("microns") || u.equals("\u00b5m") || u.equals("\u03bcm") || l.equals("um")) {
            return "um";
        }
        if (l.equals("pixels")) {
            return "pixel";
        }
        return u;
    }

    /** The unit as ImageJ spells it in a TIFF description. */
    String imageJUnit() {
        return unit.equals("um") ? "micron" : unit;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s x %s x %s %s", fmt(x), fmt(y), fmt(z), unit);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
    }
}

package poreseg.synth;

import java.util.Locale;
import poreseg.io.Calibration;
import poreseg.util.ParameterException;

/**
 * Parameters of one synthetic FIB-SEM acquisition.
 *
 * @param size      width and height of each slice, pixels
 * @param slices    number of slices
 * @param voxel     voxel size (x, y = pixel size, z = slice spacing) and unit (nm, um, mm, m)
 * @param porosity  requested pore volume fraction (of the crop, or of the particle in particle mode), in (0, 0.4]
 * @param seed      random seed: equal parameters give identical data
 * @param particle  true: a whole secondary particle with background around it; false: a crop fully inside one
 * @param artifacts acquisition artifacts on (curtaining stripes, scan-line noise, shading, drift)
 * @param drift     root-mean-square slice-to-slice stage drift, pixels per slice (used only with artifacts; 0 = none)
 * @param dose      mean detected electrons per pixel on solid (sets the Poisson noise; 0 = noise-free)
 * @param appearance microstructure and imaging parameters ({@link Appearance#DEFAULT}: the fixed model; null = default)
 */
public record SynthParams(int size, int slices, Calibration voxel, double porosity, long seed, boolean particle,
        boolean artifacts, double drift, double dose, Appearance appearance) {

    public static final double DEFAULT_DOSE = 40.0;

    /** The fixed model ({@link Appearance#DEFAULT}). */
    public SynthParams(int size, int slices, Calibration voxel, double porosity, long seed, boolean particle,
            boolean artifacts, double drift, double dose) {
        this(size, slices, voxel, porosity, seed, particle, artifacts, drift, dose, Appearance.DEFAULT);
    }

    public SynthParams {
        if (appearance == null) {
            appearance = Appearance.DEFAULT;
        }
        if (size < 16 || size > 16384) {
            throw new ParameterException("size must be between 16 and 16384 pixels, got " + size);
        }
        if (slices < 1 || slices > 100000) {
            throw new ParameterException("slices must be between 1 and 100000, got " + slices);
        }
        if (voxel == null) {
            throw new ParameterException("voxel size is missing");
        }
        nanometresPerUnit(voxel.unit());
        double[] nm = {voxel.x() * nanometresPerUnit(voxel.unit()), voxel.y() * nanometresPerUnit(voxel.unit()),
            voxel.z() * nanometresPerUnit(voxel.unit())};
        for (double v : nm) {
            if (v < 0.5 || v > 200) {
                throw new ParameterException(String.format(Locale.ROOT,
                        "voxel size must be between 0.5 and 200 nm per axis (the model's grains are 100-500 nm), got %s", voxel));
            }
        }
        if (!(porosity > 0) || porosity > 0.4) {
            throw new ParameterException("porosity must be in (0, 0.4], got " + porosity);
        }
        if (!(drift >= 0) || drift > 10) {
            throw new ParameterException("drift must be between 0 and 10 pixels per slice, got " + drift);
        }
        if (!(dose >= 0) || dose > 1e6) {
            throw new ParameterException("dose must be between 0 (noise-free) and 1e6 electrons per pixel, got " + dose);
        }
    }

    /** The paper's setting: 256 x 256 x 64 crop, 9 x 9 x 15 nm voxels, 8 % porosity, seed 1, artifacts on. */
    public static SynthParams defaults() {
        return new SynthParams(256, 64, new Calibration(9, 9, 15, "nm"), 0.08, 1, false, true, 0, DEFAULT_DOSE);
    }

    public SynthParams withSize(int s) {
        return new SynthParams(s, slices, voxel, porosity, seed, particle, artifacts, drift, dose, appearance);
    }

    public SynthParams withSlices(int n) {
        return new SynthParams(size, n, voxel, porosity, seed, particle, artifacts, drift, dose, appearance);
    }

    public SynthParams withVoxel(Calibration v) {
        return new SynthParams(size, slices, v, porosity, seed, particle, artifacts, drift, dose, appearance);
    }

    public SynthParams withPorosity(double p) {
        return new SynthParams(size, slices, voxel, p, seed, particle, artifacts, drift, dose, appearance);
    }

    public SynthParams withSeed(long s) {
        return new SynthParams(size, slices, voxel, porosity, s, particle, artifacts, drift, dose, appearance);
    }

    public SynthParams withParticle(boolean p) {
        return new SynthParams(size, slices, voxel, porosity, seed, p, artifacts, drift, dose, appearance);
    }

    public SynthParams withArtifacts(boolean a) {
        return new SynthParams(size, slices, voxel, porosity, seed, particle, a, drift, dose, appearance);
    }

    public SynthParams withDrift(double d) {
        return new SynthParams(size, slices, voxel, porosity, seed, particle, artifacts, d, dose, appearance);
    }

    public SynthParams withDose(double d) {
        return new SynthParams(size, slices, voxel, porosity, seed, particle, artifacts, drift, d, appearance);
    }

    public SynthParams withAppearance(Appearance a) {
        return new SynthParams(size, slices, voxel, porosity, seed, particle, artifacts, drift, dose, a);
    }

    /**
     * Domain-randomised parameters for training data: voxel size, porosity, mode, noise, artifacts and
     * every {@link Appearance} field drawn from {@code seed} (see {@link DomainRandomizer} for the
     * ranges), at 256 x 256 x 32. Equal seeds give equal parameters; {@link #withSize} and
     * {@link #withSlices} keep the draw.
     */
    public static SynthParams randomized(long seed) {
        return DomainRandomizer.draw(seed, 256, 32);
    }

    /** True when the appearance is the fixed model's. */
    public boolean isDefaultAppearance() {
        return appearance.equals(Appearance.DEFAULT);
    }

    /** Voxel size in nanometres (x, y, z). */
    public double[] voxelNm() {
        double f = nanometresPerUnit(voxel.unit());
        return new double[] {voxel.x() * f, voxel.y() * f, voxel.z() * f};
    }

    /** Nanometres in one {@code unit}; the generator's geometry is defined in physical units. */
    public static double nanometresPerUnit(String unit) {
        return switch (unit) {
            case "nm", "um", "mm", "m", "A", "\u00c5" -> poreseg.io.Calibration.nanometres(unit);
            default -> throw new ParameterException("unit must be a length (nm, um, mm, m), got '" + unit + "'");
        };
    }
}

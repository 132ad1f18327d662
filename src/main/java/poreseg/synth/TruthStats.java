package poreseg.synth;

/**
 * The true pore numbers of a synthetic volume, computed from the generator's implicit pore field (not
 * from the voxel mask): the field is sampled on its own lattice (the voxel spacing, z subdivided for
 * coarse or thin stacks, shifted by a random sub-voxel offset so that no point is a voxel centre).
 *
 * @param porosity       pore fraction of the region (the crop, or the particle in particle mode)
 * @param poreVolume     pore volume, unit^3
 * @param regionVolume   volume of the region (crop box or particle inside the field of view), unit^3
 * @param surfaceArea    pore/solid interface area, unit^2, by the co-area formula
 *                       S = integral of |grad F| over {|F| &lt; eps} / (2 eps); the faces of the crop
 *                       and the particle outline are not pore surface
 * @param surfaceAreaStdErr  standard error of that estimate (sampling), unit^2
 * @param poreCount      connected pore components (26-connected on the sampling lattice)
 * @param intragranularFraction share of the porosity in intragranular pores (calibration sample)
 * @param poreScale      calibrated intergranular pore half-width scale s, nm
 * @param samples        lattice points used
 * @param lattice        lattice spacing {x, y, z} in unit
 * @param unit           length unit
 */
public record TruthStats(double porosity, double poreVolume, double regionVolume, double surfaceArea,
        double surfaceAreaStdErr, long poreCount, double intragranularFraction, double poreScale, long samples,
        double[] lattice, String unit) {

    /** Pore surface area per region volume (specific surface, 1/unit). */
    public double specificSurface() {
        return regionVolume > 0 ? surfaceArea / regionVolume : Double.NaN;
    }
}

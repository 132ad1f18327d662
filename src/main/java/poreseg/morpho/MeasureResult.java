package poreseg.morpho;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.annotations.SerializedName;
import java.util.List;

/**
 * All measures of {@link PoreMeasures}, in the unit of the calibration (areas in unit^2, volumes
 * in unit^3, specific surface in 1/unit). Serialized by Gson (see {@link #toJson()}) into the JSON
 * keys of the {@code measure} command. Measures that were not computed are NaN / null (JSON null)
 * and say why in {@code notes}.
 */
public record MeasureResult(
        @SerializedName("unit") String unit,
        @SerializedName("voxel_size") double[] voxelSize,
        @SerializedName("shape") int[] shape,
        @SerializedName("porosity") double porosity,
        @SerializedName("pore_voxels") long poreVoxels,
        @SerializedName("roi_voxels") long roiVoxels,
        @SerializedName("pore_volume") double poreVolume,
        @SerializedName("roi_volume") double roiVolume,
        @SerializedName("surface_area_marching_cubes") double surfaceAreaMarchingCubes,
        @SerializedName("surface_area") double surfaceArea,
        @SerializedName("specific_surface_area") double specificSurfaceArea,
        @SerializedName("components_6") Long components6,
        @SerializedName("components_26") Long components26,
        @SerializedName("largest_component_fraction") double largestComponentFraction,
        @SerializedName("percolates") Percolation percolates,
        @SerializedName("max_pore_radius") double maxPoreRadius,
        @SerializedName("pore_size_distribution") PoreSizeDistribution poreSizeDistribution,
        @SerializedName("mean_pore_diameter") double meanPoreDiameter,
        @SerializedName("porosity_profile") double[] porosityProfile,
        @SerializedName("notes") List<String> notes) {

    /** Whether a 6-connected pore component spans the region's bounding box along each axis. */
    public record Percolation(boolean x, boolean y, boolean z) {
    }

    /**
     * Local-thickness histogram: {@code bin_edges} (n + 1 diameters, in the unit) and the fraction
     * of the pore volume whose local thickness falls in each bin ({@code volume_fraction}, sums to 1).
     */
    public record PoreSizeDistribution(
            @SerializedName("bin_edges") double[] binEdges,
            @SerializedName("volume_fraction") double[] volumeFraction) {
    }

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls()
            .serializeSpecialFloatingPointValues().disableHtmlEscaping().create();

    /** Pretty JSON with the keys of the measure command; NaN written as null. */
    public String toJson() {
        return GSON.toJson(this).replace("-Infinity", "null").replace("Infinity", "null").replace("NaN", "null");
    }
}

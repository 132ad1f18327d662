package poreseg.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;
import poreseg.io.Calibration;
import poreseg.io.OutputFiles;
import poreseg.io.TiffWriter;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.morpho.ParticleRoi;
import poreseg.util.ProgressListener;

/** poreseg roi: secondary-particle mask from a raw stack, for 'measure --roi'. */
@Command(name = "roi", mixinStandardHelpOptions = true,
        description = {"Particle mask (region of interest) from a raw stack: 3D Gaussian smoothing, global Otsu threshold, "
                + "optional closing, holes filled per slice and in 3D, largest component, optional erosion margin. Writes an "
                + "8-bit TIFF, 255 = particle. Needs 1 byte per voxel of heap (5 with --close or --margin)."})
public final class RoiCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "Raw stack (TIFF or folder of slices).")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output particle mask (TIFF).")
    Path out;

    @Option(names = "--sigma", defaultValue = "4", description = "Gaussian sigma in pixels (x, y; z scaled by the voxel aspect). Default: ${DEFAULT-VALUE}.")
    double sigma;

    @Option(names = "--margin", defaultValue = "0", description = "Erode the particle by this distance (in the unit). Default: ${DEFAULT-VALUE}.")
    double margin;

    @Option(names = "--close", defaultValue = "0", paramLabel = "R",
            description = "Closing radius (in the unit) applied before hole filling: includes pores open to the particle surface. Default: ${DEFAULT-VALUE}.")
    double closing;

    @Option(names = "--threshold", description = "Fixed threshold on the smoothed grey values instead of Otsu.")
    Double threshold;

    @Option(names = "--dark-particle", description = "The particle is darker than the background.")
    boolean dark;

    @Option(names = "--voxel", paramLabel = "X,Y,Z", description = "Voxel size (default: the file's calibration).")
    String voxel;

    @Option(names = "--unit", description = "Unit of --voxel (default: the file's unit).")
    String unit;

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;

    @Mixin SharedOptions.ReplaceOut overwrite = new SharedOptions.ReplaceOut();

    @CommandLine.Mixin
    NanOption nan = new NanOption();

    @Override
    public Integer call() throws Exception {
        nan.validate();
        if (unit != null) {
            unit = Calibration.lengthUnit(unit);
        }
        if (threshold != null && !Double.isFinite(threshold)) {
            throw new UsageException("--threshold must be a finite number, got " + threshold);
        }
        Bounds.check("--sigma", sigma, 0, 100);
        Bounds.check("--margin", margin, 0, 1e12);
        Bounds.check("--close", closing, 0, 1e12);
        OutputFiles.checkWritable(out, overwrite.force, in);
        try (Volume opened = Volumes.open(in)) {
            poreseg.io.Memory.require(poreseg.io.Memory.product(opened.info().voxels(), closing > 0 || margin > 0 ? 5 : 1),
                    "the particle mask of " + opened.info().shape() + " voxels");
            Volume raw = nan.apply(opened, json ? ProgressListener.NONE : new ConsoleProgress("checking"));
            Calibration c = raw.info().calibration().overriddenBy(voxel, unit);
            ProgressListener p = json ? ProgressListener.NONE : new ConsoleProgress("roi");
            ParticleRoi.Result r = ParticleRoi.compute(raw, c,
                    new ParticleRoi.Options(sigma, margin, !dark, threshold == null ? Double.NaN : threshold, closing), p);
            TiffWriter.write(out, r.info(), r::slice, p);
            double fraction = (double) r.voxels() / r.info().voxels();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("input", in.toString());
                m.put("output", out.toString());
                m.put("threshold", r.threshold());
                m.put("particle_voxels", r.voxels());
                m.put("particle_volume", r.voxels() * c.voxelVolume());
                m.put("particle_fraction", fraction);
                m.put("unit", c.unit());
                System.out.println(Json.write(m));
            } else {
                System.out.printf(Locale.ROOT, "wrote %s: particle %d voxels (%.2f %% of the stack), %.6g %s^3, threshold %.6g%n",
                        out, r.voxels(), 100 * fraction, r.voxels() * c.voxelVolume(), c.unit(), r.threshold());
            }
        }
        return 0;
    }
}

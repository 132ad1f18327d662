package poreseg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import poreseg.io.Calibration;
import poreseg.io.OutputFiles;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.metrics.MaskValues;
import poreseg.morpho.MeasureResult;
import poreseg.morpho.PoreMeasures;
import poreseg.report.Figure;
import poreseg.report.StlWriter;
import poreseg.report.SurfaceRenderer;
import poreseg.util.Format;
import poreseg.util.ProgressListener;

/** poreseg measure: 3D morphometry of a binary pore mask. */
@Command(name = "measure", mixinStandardHelpOptions = true,
        description = {"3D morphometry of a pore mask (slices = z): porosity, pore volume, surface area (marching cubes and "
                + "Crofton), specific surface, 6/26-connected components, percolation, max pore radius, local-thickness "
                + "pore size distribution, porosity profile. See docs/measure.md."})
public final class MeasureCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MASK", description = "Pore mask (TIFF stack or folder of slices); pore voxels have --pore-value.")
    Path mask;

    @Option(names = "--roi", paramLabel = "PARTICLE_MASK", description = "Region of interest (nonzero = inside), e.g. from 'poreseg roi'.")
    Path roi;

    @Option(names = "--voxel", paramLabel = "X,Y,Z", description = "Voxel size (default: the mask's calibration).")
    String voxel;

    @Option(names = "--unit", description = "Unit of --voxel (default: the mask's unit).")
    String unit;

    @Option(names = "--pore-value", paramLabel = "V",
            description = "Voxel value of pores; any other value is not pore (default: 255, and the mask must hold at most two values).")
    Double poreValue;

    @Option(names = "--json", paramLabel = "OUT.json", description = "Write all results as JSON ('-' for stdout).")
    Path json;

    @Option(names = "--csv-profile", paramLabel = "OUT.csv", description = "Write the porosity per slice as CSV.")
    Path csv;

    @Option(names = "--mesh", paramLabel = "OUT.stl", description = "Write the marching-cubes pore surface as binary STL.")
    Path mesh;

    @Option(names = "--render", paramLabel = "OUT.png", description = "Write three perspective views of the pore surface (PNG).")
    Path render;

    @Option(names = "--render-size", defaultValue = "512", description = "Size of each rendered view in pixels (default: ${DEFAULT-VALUE}).")
    int renderSize;

    @Option(names = "--no-distances", description = "Skip max pore radius and local thickness (they need 4 bytes per voxel of heap).")
    boolean noDistances;

    @Option(names = "--no-connectivity", description = "Skip components and percolation.")
    boolean noConnectivity;

    @Mixin SharedOptions.ReplaceFiles overwrite = new SharedOptions.ReplaceFiles();

    @Override
    public Integer call() throws Exception {
        boolean jsonStdout = json != null && json.toString().equals("-");
        java.util.Map<String, Path> named = new java.util.LinkedHashMap<>();
        named.put("--json", json);
        named.put("--csv-profile", csv);
        named.put("--mesh", mesh);
        named.put("--render", render);
        OutputFiles.checkDistinct(named);
        for (Path out : outputs()) {
            if (!(jsonStdout && out == json)) {
                OutputFiles.checkWritable(out, overwrite.force, mask, roi);
            }
        }
        if (renderSize < 16 || renderSize > 8192) {
            throw new UsageException("--render-size must be 16..8192, got " + renderSize);
        }
        if (poreValue != null && !Double.isFinite(poreValue)) {
            throw new UsageException("--pore-value must be a finite number, got " + poreValue);
        }
        if (unit != null) {
            unit = Calibration.lengthUnit(unit);
        }
        if (voxel != null) {
            Calibration.parseVoxel(voxel, "pixel"); // a usage error before any file is read
        }
        try (Volume m = Volumes.open(mask); Volume r = roi == null ? null : Volumes.open(roi)) {
            Calibration c = m.info().calibration().overriddenBy(voxel, unit);
            ProgressListener p = jsonStdout ? ProgressListener.NONE : new ConsoleProgress("measure");
            if (poreValue == null) {
                MaskValues.scan(m, 255f, ProgressListener.NONE); // at most two values, no NaN, 255 present when two
            }
            if (r != null) {
                poreseg.io.NonFinite.require(r, ProgressListener.NONE); // nonzero = inside; NaN is neither
            }
            double poreValue = this.poreValue == null ? 255 : this.poreValue;
            MeasureResult res = PoreMeasures.measure(m, r, c, poreValue,
                    new PoreMeasures.Options(!noConnectivity, !noDistances), p);
            if (json != null) {
                if (jsonStdout) {
                    System.out.println(res.toJson());
                } else {
                    OutputFiles.writeString(json, res.toJson() + "\n");
                }
            }
            if (csv != null) {
                OutputFiles.writeString(csv, profileCsv(res));
            }
            if (mesh != null) {
                long n = StlWriter.write(mesh, m, r, c, poreValue, jsonStdout ? ProgressListener.NONE : new ConsoleProgress("mesh"));
                if (!jsonStdout) {
                    System.err.printf(Locale.ROOT, "wrote %s (%d triangles)%n", mesh, n);
                }
            }
            if (render != null) {
                Figure.writePng(SurfaceRenderer.threeViews(m, r, c, poreValue, renderSize,
                        jsonStdout ? ProgressListener.NONE : new ConsoleProgress("render")), render);
            }
            if (!jsonStdout) {
                System.out.print(table(res, m.source(), r == null ? null : r.source()));
            }
        }
        return 0;
    }

    private List<Path> outputs() {
        List<Path> l = new ArrayList<>();
        for (Path p : new Path[] {json, csv, mesh, render}) {
            if (p != null) {
                l.add(p);
            }
        }
        return l;
    }

    static String profileCsv(MeasureResult r) {
        StringBuilder s = new StringBuilder("slice,z_" + r.unit() + ",porosity\n");
        double[] p = r.porosityProfile();
        for (int z = 0; z < p.length; z++) {
            s.append(z).append(',').append(num(z * r.voxelSize()[2])).append(',')
                    .append(Double.isNaN(p[z]) ? "" : num(p[z])).append('\n');
        }
        return s.toString();
    }

    static String table(MeasureResult r, String maskName, String roiName) {
        String u = r.unit();
        StringBuilder s = new StringBuilder();
        row(s, "mask", maskName);
        row(s, "region", roiName == null ? "whole volume" : roiName);
        row(s, "shape", r.shape()[0] + " x " + r.shape()[1] + " x " + r.shape()[2] + " voxels");
        row(s, "voxel size", num(r.voxelSize()[0]) + " x " + num(r.voxelSize()[1]) + " x " + num(r.voxelSize()[2]) + " " + u);
        row(s, "porosity", String.format(Locale.ROOT, "%.6f (%.3f %%)", r.porosity(), 100 * r.porosity()));
        row(s, "pore voxels", r.poreVoxels() + " of " + r.roiVoxels());
        row(s, "pore volume", num(r.poreVolume()) + " " + u + "^3");
        row(s, "surface area (Crofton)", num(r.surfaceArea()) + " " + u + "^2");
        row(s, "surface area (marching cubes)", num(r.surfaceAreaMarchingCubes()) + " " + u + "^2");
        row(s, "specific surface area", num(r.specificSurfaceArea()) + " 1/" + u);
        if (r.components6() != null) {
            row(s, "components (6 / 26)", r.components6() + " / " + r.components26());
            row(s, "largest component", num(r.largestComponentFraction()) + " of the pore volume");
            row(s, "percolates x / y / z", r.percolates().x() + " / " + r.percolates().y() + " / " + r.percolates().z());
        }
        if (!Double.isNaN(r.maxPoreRadius())) {
            row(s, "max pore radius", num(r.maxPoreRadius()) + " " + u);
        }
        if (!Double.isNaN(r.meanPoreDiameter())) {
            row(s, "mean pore diameter", num(r.meanPoreDiameter()) + " " + u + " (local thickness, volume-weighted)");
            var d = r.poreSizeDistribution();
            s.append("pore size distribution (local thickness, fraction of pore volume):\n");
            for (int i = 0; i < d.volumeFraction().length; i++) {
                if (d.volumeFraction()[i] > 0) {
                    s.append(String.format(Locale.ROOT, "  %10s - %-10s %s  %6.2f %%%n", num(d.binEdges()[i]), num(d.binEdges()[i + 1]),
                            u, 100 * d.volumeFraction()[i]));
                }
            }
        }
        for (String n : r.notes()) {
            row(s, "note", n);
        }
        return s.toString();
    }

    private static void row(StringBuilder s, String k, String v) {
        s.append(String.format(Locale.ROOT, "%-30s %s%n", k + ":", v));
    }

    static String num(double v) {
        return Format.sig6OrNa(v);
    }
}

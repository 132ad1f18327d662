package poreseg.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import poreseg.io.Calibration;
import poreseg.synth.Appearance;
import poreseg.synth.SynthGenerator;
import poreseg.synth.SynthParams;
import poreseg.synth.SynthVolume;
import poreseg.synth.TruthStats;
import poreseg.util.ProgressListener;

/** {@code poreseg synth}: writes a synthetic FIB-SEM stack with its exact pore truth. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Generate a synthetic FIB-SEM BSE stack of an NCM cathode particle with exact ground truth.",
            "Writes into OUT_DIR: image.tif (16-bit raw slices), truth.tif (8-bit, 255 = pore),",
            "particle.tif (--particle only) and truth.json (parameters, seed and the true porosity,",
            "pore volume, pore surface area and pore count, from the model's own geometry)."})
public final class SynthCommand implements Callable<Integer> {
    @Parameters(paramLabel = "OUT_DIR", description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--size", defaultValue = "256", description = "Slice width and height in pixels (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--slices", defaultValue = "64", description = "Number of slices (default: ${DEFAULT-VALUE}).")
    int slices;

    @Option(names = "--voxel", defaultValue = "9,9,15", description = "Voxel size X,Y,Z (Z = slice spacing) (default: ${DEFAULT-VALUE}).")
    String voxel;

    @Option(names = "--unit", defaultValue = "nm", description = "Unit of --voxel: nm, um, mm (default: ${DEFAULT-VALUE}).")
    String unit;

    @Option(names = "--porosity", defaultValue = "0.08", description = "Pore volume fraction, in (0, 0.4] (default: ${DEFAULT-VALUE}).")
    double porosity;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed; equal options give identical files (default: ${DEFAULT-VALUE}).")
    long seed;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--crop", description = "A crop fully inside a secondary particle (default).")
        boolean crop;

        @Option(names = "--particle", description = "A whole secondary particle with background around it; also writes particle.tif.")
        boolean particle;
    }

    @Option(names = "--no-artifacts", description = "No curtaining stripes, shading, scan-line noise or drift (noise stays; see --dose).")
    boolean noArtifacts;

    @Option(names = "--drift", defaultValue = "0", description = "Stage drift, RMS pixels per slice (default: ${DEFAULT-VALUE}).")
    double drift;

    @Option(names = "--dose", defaultValue = "40", description = "Electrons per solid pixel: sets the shot noise; 0 = noise-free (default: ${DEFAULT-VALUE}).")
    double dose;

    @Option(names = "--randomize", description = {"Domain-randomised training data: draw the voxel size, porosity, mode, noise, artifacts and",
        "every appearance parameter (pore families, grains, contrast, gamma, polarity, blur, 8-bit, curtains, charging) from --seed.",
        "Only --size and --slices (default 32 here) may be combined with it."})
    boolean randomize;

    @Option(names = "--stacks", paramLabel = "N", description = {"With --randomize: a training set of N stacks (seeds SEED..SEED+N-1)",
        "written as OUT_DIR/images/ and OUT_DIR/masks/ (one file per slice, for train --images/--masks) and set.json."})
    Integer stacks;

    @Option(names = "--fixed-every", paramLabel = "K", defaultValue = "0", description = {"With --stacks: every K-th stack is the fixed model",
        "(poreseg synth's defaults with that seed) instead of a randomised one (default: ${DEFAULT-VALUE} = none)."})
    int fixedEvery;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin SharedOptions.ReplaceFiles overwrite = new SharedOptions.ReplaceFiles();

    @Option(names = "--appearance", paramLabel = "NAME=VALUE[,...]", description = {
            "The fixed model with some appearance parameters replaced, e.g. wallGain=1.3,depthDecay=400",
            "(brighter, deeper shine-through; names and defaults: docs/synth.md, truth.json's \"appearance\")."})
    String appearance;

    @Option(names = "--json", description = "Print the truth numbers as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SynthParams p;
        if (stacks != null && !randomize) {
            throw new UsageException("--stacks needs --randomize");
        }
        if (randomize) {
            for (String o : new String[] {"--voxel", "--unit", "--porosity", "--crop", "--particle", "--no-artifacts", "--drift", "--dose",
                    "--appearance"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw new UsageException(o + " cannot be combined with --randomize (it draws that parameter from --seed)");
                }
            }
            int n = spec.commandLine().getParseResult().hasMatchedOption("--slices") ? slices : 32;
            if (stacks != null) {
                long t0 = System.nanoTime();
                poreseg.synth.TrainingSet.write(out, seed, stacks, size, n, fixedEvery, overwrite.force, json ? ProgressListener.NONE : new ConsoleProgress("synth"));
                double secs = (System.nanoTime() - t0) / 1e9;
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("out_dir", out.toString());
                    m.put("stacks", stacks);
                    m.put("slices", (long) stacks * n);
                    m.put("seconds", secs);
                    System.out.println(Json.write(m));
                } else {
                    System.out.printf(Locale.ROOT, "wrote %s: %d randomised stacks (seeds %d-%d) x %d slices of %dx%d in images/, masks/, set.json (%.1f s)%n",
                            out, stacks, seed, seed + stacks - 1, n, size, size, secs);
                }
                return 0;
            }
            p = SynthParams.randomized(seed).withSize(size).withSlices(n);
        } else {
            p = new SynthParams(size, slices, Calibration.parseVoxel(voxel, Calibration.lengthUnit(unit)), porosity, seed, mode.particle,
                    !noArtifacts, drift, dose, appearance == null ? Appearance.DEFAULT : Appearance.DEFAULT.with(appearance));
        }
        long t0 = System.nanoTime();
        SynthVolume v = new SynthGenerator().generate(p);
        ProgressListener progress = json ? ProgressListener.NONE : new ConsoleProgress("synth");
        v.write(out, overwrite.force, progress);
        TruthStats t = v.truthStats();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("out_dir", out.toString());
            m.put("files", v.outputs(out).stream().map(Path::toString).toList());
            m.put("porosity", t.porosity());
            m.put("pore_volume", t.poreVolume());
            m.put("pore_surface_area", t.surfaceArea());
            m.put("pore_count", t.poreCount());
            m.put("unit", t.unit());
            m.put("seconds", seconds);
            System.out.println(Json.write(m));
        } else {
            String u = t.unit();
            System.out.printf(Locale.ROOT, "wrote %s (%dx%dx%d, %s, %s%s)%n", out, p.size(), p.size(), p.slices(), p.voxel(),
                    p.particle() ? "particle" : "crop", randomize ? ", randomised appearance: see truth.json"
                            : appearance != null ? ", appearance: " + appearance.strip() : "");
            for (Path f : v.outputs(out)) {
                System.out.println("  " + f.getFileName());
            }
            System.out.printf(Locale.ROOT, "true porosity:      %.5f (requested %.5f)%n", t.porosity(), p.porosity());
            System.out.printf(Locale.ROOT, "pore volume:        %.6g %s^3%n", t.poreVolume(), u);
            System.out.printf(Locale.ROOT, "pore surface area:  %.6g %s^2 (+- %.2g)%n", t.surfaceArea(), u, t.surfaceAreaStdErr());
            System.out.printf(Locale.ROOT, "pore count:         %d%n", t.poreCount());
            System.out.printf(Locale.ROOT, "time:               %.1f s%n", seconds);
        }
        return 0;
    }

}

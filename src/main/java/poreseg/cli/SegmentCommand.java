package poreseg.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import poreseg.io.OutputFiles;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.net.ModelStore;
import poreseg.net.NetEngine;
import poreseg.net.Network;
import poreseg.net.PorosityCalibration;
import poreseg.net.Precision;
import poreseg.net.Segmenter;
import poreseg.net.StackSegmentation;
import poreseg.util.CpuFeatures;
import poreseg.util.ProgressListener;

@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Segment pores with a trained network: tiled inference with overlap blending on any image size, "
            + "streaming a stack slice by slice. Writes an 8-bit mask (255 = pore) with the input's voxel size.")
final class SegmentCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "Image, stack or folder of slices.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output mask (multi-page TIFF).")
    Path out;

    @Option(names = "--model", paramLabel = "MODEL_DIR", defaultValue = "default",
            description = "Model directory from 'poreseg train', or 'default' for the bundled U-Net (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--fold", paramLabel = "N", description = "Use only fold N of a k-fold model (default: the mean probability of all folds).")
    Integer fold;

    @Option(names = "--prob", paramLabel = "PROB.tif", description = "Also write the pore probabilities (32-bit TIFF).")
    Path prob;

    @Option(names = "--uncertainty", paramLabel = "OUT.tif", description = "Also write the per-pixel uncertainty, 0 (certain) to 1 (32-bit TIFF; see docs/net.md).")
    Path uncertainty;

    @Mixin SharedOptions.ProbabilityThreshold thresholdOption = new SharedOptions.ProbabilityThreshold();

    @Option(names = "--tile", description = "Largest tile edge in pixels: slices up to this size run whole, larger ones in tiles blended over the overlap "
            + "(default: 1024, or the model's training tile where larger).")
    Integer tile;

    @Option(names = "--overlap", description = "Tile overlap in pixels, at most tile/2 (default: the model's, 32).")
    Integer overlap;

    @Mixin SharedOptions.TileBatch batchOption = new SharedOptions.TileBatch();

    @Option(names = "--scales", paramLabel = "auto|F[,F...]",
            description = "Multi-scale inference: also run each slice reduced by these factors (box means) and average the probabilities, "
                    + "e.g. 1,4: pores larger than the network saw in training, or noisier slices, are found at the coarser scale; "
                    + "1/2 and 1/3 run the slice enlarged 2x and 3x, for pores smaller than in training. "
                    + "auto: choose one scale per stack from 1/3,1/2,1,2,3,4,6,8,12,16 (up to 8 sample slices run at each; the finest factor whose "
                    + "porosity agrees with the next coarser one's, unless a coarser agreeing run has 1.5x its porosity: pores far larger "
                    + "than in training; 1/2 where the porosity holds as the slice is enlarged 2x and 3x: pores smaller than in training) "
                    + "and run every slice at it; 1: single scale, the fastest "
                    + "(default: the model's inference_scales; the bundled model's is auto; docs/net.md).")
    String scales;

    @Mixin SharedOptions.InferencePrecision precisionOption = new SharedOptions.InferencePrecision();

    @Mixin SharedOptions.ReplaceFiles overwrite = new SharedOptions.ReplaceFiles();

    @Option(names = "--json", description = "Print a JSON summary on stdout: porosity, porosity_interval and per-slice values.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!(thresholdOption.threshold > 0 && thresholdOption.threshold < 1)) {
            throw new UsageException("--threshold must be in (0, 1), got " + thresholdOption.threshold);
        }
        Precision pr = precisionOption.get();
        checkOutputs();
        long t0 = System.nanoTime();
        StackInfo info;
        StackSegmentation.Result r;
        int members;
        Segmenter seg;
        List<Network> nets = ModelStore.loadMembers(model, fold);
        nets.forEach(n -> n.precision(pr));
        Precision used = nets.get(0).precision();
        long t1 = System.nanoTime(); // the model is loaded: segment_seconds and Mpx/s count from here
        try (Volume v = Volumes.open(in)) {
            info = v.info();
            String vw = nets.get(0).info().voxelWarning(info.calibration());
            if (vw != null) {
                System.err.println("poreseg: warning: " + vw);
            }
            seg = Segmenter.of(nets, tile, overlap, batchOption.batch);
            if (scales != null) {
                applyScales(seg, scales);
            }
            members = seg.members();
            ProgressListener p = json ? ProgressListener.NONE : new ConsoleProgress("segmenting");
            r = StackSegmentation.run(v, seg, thresholdOption.threshold, out, prob, uncertainty, p);
        } finally {
            nets.forEach(Network::close);
        }
        long t2 = System.nanoTime();
        double secs = (t2 - t0) / 1e9;
        double segSecs = (t2 - t1) / 1e9;
        double mpx = (double) info.width() * info.height() * info.depth() / 1e6;
        printWarnings(r.warnings());
        if (json) {
            printJson(info, r, members, used, seg, secs, segSecs, mpx);
        } else {
            double[] iv = r.interval();
            System.out.printf(Locale.ROOT, "segmented %s (%s) -> %s: porosity %.4f, interval [%.4f, %.4f] (%d model%s, %s), %.1f s (%.2f Mpx/s)%n", in,
                    info.shape(), out, r.porosity(), iv[0], iv[1], members, members == 1 ? "" : "s averaged", used.label(), secs, mpx / segSecs);
            System.out.println("porosity interval: " + PorosityCalibration.intervalKind(seg.intervalRule(thresholdOption.threshold).calibrated()));
            if (seg.scales().length > 1) {
                Segmenter.ScaleChoice c = r.scale();
                if (c != null) {
                    System.out.printf(Locale.ROOT, "scale selection (scales %s, porosity tolerance %s): the stack ran at scale %s (median porosity per scale %s over %d sampled slice%s; %s)%n",
                            Segmenter.scaleLabels(c.factors()), c.tolerance(),
                            Segmenter.scaleText(c.factor()), porosities(c.porosity()), c.slices().length,
                            c.slices().length == 1 ? "" : "s", Segmenter.poreWidthText(c));
                } else {
                    System.out.printf(Locale.ROOT, "multi-scale inference (scales %s%s): %d of %d slices%n",
                            Segmenter.scaleLabels(seg.scales()), seg.scaleConfidence() == null ? "" : ", adaptive below confidence " + seg.scaleConfidence(),
                            seg.multiScaleSlices(), info.depth());
                }
            }
            if (prob != null) {
                System.out.printf(Locale.ROOT, "probabilities -> %s%n", prob);
            }
            if (uncertainty != null) {
                System.out.printf(Locale.ROOT, "uncertainty -> %s%n", uncertainty);
            }
        }
        return 0;
    }

    /** "[0.171, 0.168, n/a]": porosities per factor, NaN (too small to run) as n/a. */
    static String porosities(double[] p) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < p.length; i++) {
            b.append(i == 0 ? "" : ", ").append(Double.isNaN(p[i]) ? "n/a" : String.format(Locale.ROOT, "%.3f", p[i]));
        }
        return b.append(']').toString();
    }

    /** {@code --scales auto} or a comma-separated list of reduction factors and enlargements (1/2, 1/3). */
    static void applyScales(Segmenter seg, String spec) {
        try {
            if (spec.trim().equals("auto")) {
                seg.scaleSelection(Segmenter.AUTO_SCALES, Segmenter.AUTO_TOLERANCE);
                return;
            }
            String[] parts = spec.split(",");
            int[] f = new int[parts.length];
            for (int i = 0; i < f.length; i++) {
                Integer c = Segmenter.scaleCode(parts[i]);
                if (c == null) {
                    throw new NumberFormatException(parts[i]);
                }
                f[i] = c;
            }
            seg.scales(f);
        } catch (NumberFormatException | poreseg.util.ParameterException e) {
            throw new UsageException("--scales must be auto, or reduction factors such as 1,4 and enlargements 1/2, 1/3, got '" + spec + "'");
        }
    }

    private static void printWarnings(List<String> warnings) {
        int shown = 0;
        for (String w : warnings) {
            if (shown++ < 10) {
                System.err.println("poreseg: warning: " + w);
            }
        }
        if (warnings.size() > 10) {
            System.err.println("poreseg: warning: " + (warnings.size() - 10) + " more slices without usable contrast (see --json)");
        }
    }

    /** The --json summary; {@code segSecs} and {@code mpx} time the work after the model loaded. */
    private void printJson(StackInfo info, StackSegmentation.Result r, int members, Precision used, Segmenter seg, double secs, double segSecs,
            double mpx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", in.toString());
        m.put("output", out.toString());
        m.put("probabilities", prob == null ? null : prob.toString());
        m.put("uncertainty", uncertainty == null ? null : uncertainty.toString());
        m.put("model", model);
        m.put("members", members);
        m.put("scales", Segmenter.scaleValues(seg.scales()));
        m.put("scale_confidence", seg.scaleConfidence());
        m.put("scale_tolerance", seg.scaleTolerance());
        Segmenter.ScaleChoice c = r.scale();
        m.put("scale", c == null ? null : Segmenter.scaleValue(c.factor()));
        m.put("scale_porosities", c == null ? null : c.porosity()); // NaN (a factor too coarse for the slices) is written as null
        m.put("scale_sample_slices", c == null ? null : java.util.Arrays.stream(c.slices()).boxed().toList());
        // how wide the pores read at factor 1 (px; null: no pore component off the slice edges): over the limit, never enlarged
        m.put("scale_pore_width", c == null || Double.isNaN(c.poreWidth()) ? null : c.poreWidth());
        // how wide they read to the network at each reduction, in its pixels (null: not run, or none off the edges)
        m.put("scale_pore_widths", c == null ? null : c.poreWidths());
        m.put("multiscale_slices", c == null ? seg.multiScaleSlices() : c.factor() == 1 ? 0 : info.depth());
        m.put("slices", info.depth());
        m.put("porosity", r.porosity());
        m.put("porosity_interval", r.interval());
        m.put("porosity_interval_calibrated", seg.intervalRule(thresholdOption.threshold).calibrated());
        m.put("pore_fraction", r.porosity());
        List<Map<String, Object>> slices = new ArrayList<>();
        for (int z = 0; z < info.depth(); z++) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("slice", z);
            s.put("porosity", r.slicePorosity()[z]);
            s.put("porosity_interval", new double[] {r.sliceLow()[z], r.sliceHigh()[z]});
            slices.add(s);
        }
        m.put("per_slice", slices);
        m.put("warnings", r.warnings());
        m.put("seconds", secs);
        m.put("segment_seconds", segSecs);
        m.put("megapixels_per_second", mpx / segSecs);
        m.put("precision", used.label());
        m.put("engine", NetEngine.describe());
        m.put("cpu", CpuFeatures.describe());
        System.out.println(Json.write(m));
    }

    /** OUT, --prob and --uncertainty: writable (or --force) and three different files. */
    private void checkOutputs() throws IOException {
        List<Path> outputs = new ArrayList<>();
        for (Path p : new Path[] {out, prob, uncertainty}) {
            if (p == null) {
                continue;
            }
            OutputFiles.checkWritable(p, overwrite.force, in);
            for (Path q : outputs) {
                if (q.toAbsolutePath().normalize().equals(p.toAbsolutePath().normalize())) {
                    throw new UsageException(p + ": given for two outputs (OUT, --prob, --uncertainty must differ)");
                }
            }
            outputs.add(p);
        }
    }
}

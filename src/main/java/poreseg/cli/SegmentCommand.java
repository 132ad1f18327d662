package poreseg.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import poreseg.io.OutputFiles;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.UsageException;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.io.TiffWriter;
import poreseg.net.ModelStore;
import poreseg.net.NetEngine;
import poreseg.net.Network;
import poreseg.net.Segmenter;
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

    @Option(names = "--prob", paramLabel = "PROB.tif", description = "Also write the pore probabilities (32-bit TIFF).")
    Path prob;

    @Option(names = "--threshold", defaultValue = "0.5", description = "A pixel is pore where its probability is above this (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--tile", description = "Tile size in pixels (default: the model's, 256).")
    Integer tile;

    @Option(names = "--overlap", description = "Tile overlap in pixels, at most tile/2 (default: the model's, 32).")
    Integer overlap;

    @Option(names = "--batch", defaultValue = "8", description = "Tiles per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--force", description = "Replace existing output files.")
    boolean force;

    @Option(names = "--json", description = "Print a JSON summary on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!(threshold >= 0 && threshold < 1)) {
            throw new UsageException("--threshold must be in [0, 1), got " + threshold);
        }
        OutputFiles.checkWritable(out, force, in);
        if (prob != null) {
            OutputFiles.checkWritable(prob, force, in);
            if (prob.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new UsageException("--prob and OUT must be different files");
            }
        }
        long t0 = System.nanoTime();
        AtomicLong pores = new AtomicLong();
        StackInfo info;
        try (Network net = ModelStore.load(model); Volume v = Volumes.open(in)) {
            info = v.info();
            int t = tile != null ? tile : net.info().tile;
            int o = overlap != null ? overlap : Math.min(net.info().overlap, t / 2 / net.architecture().multiple() * net.architecture().multiple());
            Segmenter seg = new Segmenter(net, t, o, batch);
            ProgressListener p = json ? ProgressListener.NONE : new ConsoleProgress("segmenting");
            if (prob == null) {
                TiffWriter.write(out, info.withType(PixelType.U8), z -> Segmenter.mask(seg.probability(v.slice(z), v.info()), threshold, pores), p);
            } else {
                TiffWriter.write(prob, info.withType(PixelType.F32), seg.probabilities(v), p);
                try (Volume pv = Volumes.open(prob)) {
                    TiffWriter.write(out, info.withType(PixelType.U8), z -> Segmenter.mask(pv.slice(z), threshold, pores), ProgressListener.NONE);
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double fraction = (double) pores.get() / info.voxels();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("input", in.toString());
            m.put("output", out.toString());
            m.put("probabilities", prob == null ? null : prob.toString());
            m.put("model", model);
            m.put("slices", info.depth());
            m.put("pore_fraction", fraction);
            m.put("seconds", secs);
            m.put("engine", NetEngine.describe());
            System.out.println(Json.write(m));
        } else {
            System.out.printf(Locale.ROOT, "segmented %s (%s) -> %s: pore fraction %.4f, %.1f s%n", in, info.shape(), out, fraction, secs);
            if (prob != null) {
                System.out.printf(Locale.ROOT, "probabilities -> %s%n", prob);
            }
        }
        return 0;
    }
}

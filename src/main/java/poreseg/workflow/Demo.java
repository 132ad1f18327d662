package poreseg.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import poreseg.io.DataException;
import poreseg.io.OutputFiles;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.net.ModelStore;
import poreseg.net.Network;
import poreseg.net.Segmenter;
import poreseg.net.StackSegmentation;
import poreseg.preprocess.Pipeline;
import poreseg.synth.SynthGenerator;
import poreseg.synth.SynthParams;
import poreseg.synth.SynthVolume;
import poreseg.threshold.AutoThreshold;

/**
 * The main job, from a raw stack to numbers and a report: (synthetic data with truth, or the user's
 * stack) -> threshold baseline on the preprocessed stack -> CNN segmentation with a trained model ->
 * 3D measures of each segmentation -> pixel scores against the truth where there is one -> report.
 * Every intermediate stack is written to the output folder, so each number of the report can be
 * checked by hand with {@code poreseg measure} and {@code poreseg evaluate} on the same files.
 */
public final class Demo {
    /** Preprocessing of the threshold baseline: the paper's destriping and Gaussian denoising. */
    public static final String THRESHOLD_PREPROCESSING = "destripe,gaussian=1.5";

    /**
     * @param out      output folder (created; must be empty or absent unless force)
     * @param quick    small data for a run of about a minute
     * @param images   the user's stack, or null for built-in synthetic data with truth
     * @param roi      particle mask of the user's stack (255 = inside), or null
     * @param model    "default" (bundled) or a model folder
     * @param seed     seed of the synthetic data
     * @param force    allow writing into a non-empty output folder
     */
    public record Options(Path out, boolean quick, Path images, Path roi, String model, long seed, boolean force) {
    }

    /** What the run produced: the report, the data folder, the truth (null for a user stack) and each segmentation. */
    public record Result(Path report, Path dataDir, Variant truth, List<Variant> segmentations, double threshold,
            Map<String, Double> seconds, StackInfo info, SynthParams synth, double[] cnnPorosityInterval) {
    }

    private Demo() {
    }

    public static Result run(Options o, Stages stages) throws IOException {
        OutputFiles.prepareFolder(o.out(), o.force(), o.images(), o.roi());
        Map<String, Double> seconds = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Path data = o.out().resolve("data");
        Files.createDirectories(data);
        Path imagePath;
        Path truthPath = null;
        Path roiPath = o.roi();
        SynthParams synth = null;
        if (o.images() == null) {
            synth = synthParams(o);
            SynthVolume sv = new SynthGenerator().generate(synth);
            sv.write(data, true, stages.stage("generating synthetic FIB-SEM stack"));
            imagePath = data.resolve("image.tif");
            truthPath = data.resolve("truth.tif");
            roiPath = synth.particle() ? data.resolve("particle.tif") : null;
        } else {
            imagePath = o.images();
        }
        seconds.put("data", lap(t0));

        try (Volume image = Volumes.open(imagePath); Volume roi = roiPath == null ? null : Volumes.open(roiPath);
                Volume truth = truthPath == null ? null : Volumes.open(truthPath)) {
            StackInfo info = image.info();
            if (roi != null && !roi.info().sameShape(info)) {
                throw new DataException(roiPath + ": ROI is " + roi.info().shape() + " but the stack is " + info.shape());
            }
            StackInfo maskInfo = info.withType(PixelType.U8);

            long t = System.nanoTime();
            Volume pre = new PreprocessedVolume(image, Pipeline.parse(THRESHOLD_PREPROCESSING), true);
            ThresholdBaseline thr = ThresholdBaseline.of(pre, AutoThreshold.Method.OTSU, stages.stage("threshold: histogram"));
            Path thrPath = o.out().resolve("threshold.tif");
            TiffWriter.write(thrPath, maskInfo, thr.masks(), stages.stage("threshold: masks"));
            seconds.put("threshold", lap(t));

            t = System.nanoTime();
            Path probPath = o.out().resolve("cnn_probability.tif");
            Path cnnPath = o.out().resolve("cnn.tif");
            Path uncPath = o.out().resolve("cnn_uncertainty.tif");
            StackSegmentation.Result cnnResult;
            List<Network> nets = ModelStore.loadMembers(o.model(), null);
            try {
                Network net = nets.get(0);
                Segmenter seg = new Segmenter(nets, net.info().tile, net.info().overlap, 8);
                cnnResult = StackSegmentation.run(image, seg, 0.5, cnnPath, probPath, uncPath, roi, stages.stage("CNN segmentation"));
            } finally {
                nets.forEach(Network::close);
            }
            seconds.put("cnn", lap(t));

            t = System.nanoTime();
            Variant truthVariant = truthPath == null ? null : Variants.measure("ground truth", truthPath, null, null, roi, !o.quick(), stages);
            List<Variant> segs = new ArrayList<>();
            segs.add(Variants.measure("threshold (Otsu)", thrPath, null, truthPath, roi, !o.quick(), stages));
            segs.add(Variants.measure("CNN (" + modelName(o.model()) + ")", cnnPath, probPath, truthPath, roi, !o.quick(), stages));
            seconds.put("measure", lap(t));

            t = System.nanoTime();
            Path report = DemoReport.write(o, image, truth, roi, truthVariant, segs, thr.threshold(), synth, cnnResult.interval(), stages);
            seconds.put("report", lap(t));
            seconds.put("total", lap(t0));
            return new Result(report, data, truthVariant, segs, thr.threshold(), seconds, info, synth, cnnResult.interval());
        }
    }

    static SynthParams synthParams(Options o) {
        SynthParams p = SynthParams.defaults().withSeed(o.seed());
        return o.quick() ? p.withSize(128).withSlices(24) : p.withSize(256).withSlices(64);
    }

    static String modelName(String model) {
        return "default".equals(model) ? "bundled U-Net" : Path.of(model).getFileName().toString();
    }

    private static double lap(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}

package poreseg.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import poreseg.io.Calibration;
import poreseg.io.Memory;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Volume;
import poreseg.morpho.ParticleRoi;
import poreseg.net.ModelInfo;
import poreseg.net.ModelStore;
import poreseg.net.Network;
import poreseg.net.StackSegmentation;
import poreseg.preprocess.Pipeline;
import poreseg.synth.SynthGenerator;
import poreseg.synth.SynthVolume;
import poreseg.threshold.AutoThreshold;
import poreseg.util.ProgressListener;

/**
 * The steps of {@link Analysis#run} that write stacks into the output folder: the synthetic data,
 * the particle mask, the threshold baseline and the CNN segmentation.
 */
final class AnalysisSteps {
    /**
     * Where the stacks come from: the user's stack (and ROI file), or the synthetic stack, its truth and
     * (particle mode) its particle mask written into {@code data} = OUT/data.
     */
    record Inputs(Path data, Path image, Path truth, Path roi) {
    }

    /** The threshold baseline: its mask file and the Otsu threshold (none: null and NaN). */
    record Baseline(Path mask, double otsu) {
        static final Baseline NONE = new Baseline(null, Double.NaN);
    }

    /** The CNN segmentation: its result, its mask and probability files, and how many networks were averaged. */
    record Cnn(StackSegmentation.Result result, Path mask, Path probability, int members) {
    }

    private AnalysisSteps() {
    }

    static Inputs inputs(Analysis.Options o, Stages stages) throws IOException {
        Path roiPath = o.roi().kind() == Analysis.RoiKind.FILE ? o.roi().mask() : null;
        if (o.stack() != null) {
            return new Inputs(null, o.stack(), null, roiPath);
        }
        Path data = o.out().resolve("data");
        Files.createDirectories(data);
        SynthVolume sv = new SynthGenerator().generate(o.synth());
        sv.write(data, true, stages.stage("generating synthetic FIB-SEM stack"));
        return new Inputs(data, data.resolve(SynthVolume.IMAGE_FILE), data.resolve(SynthVolume.TRUTH_FILE),
                o.synth().particle() ? data.resolve(SynthVolume.PARTICLE_FILE) : null);
    }

    /** {@code --roi auto}: the particle mask, written to roi.tif; returns its path. */
    static Path particleRoi(Analysis.Options o, Volume image, Calibration cal, Stages stages) throws IOException {
        StackInfo info = image.info();
        Memory.require(info.voxels(), "the particle mask of " + info.shape() + " voxels");
        ParticleRoi.Result pr = ParticleRoi.compute(image, cal, ParticleRoi.Options.DEFAULT, stages.stage("particle mask (ROI)"));
        Path roiPath = o.out().resolve(Analysis.ROI);
        TiffWriter.write(roiPath, info.withType(PixelType.U8), pr::slice, stages.stage("writing the particle mask"));
        return roiPath;
    }

    /** The paper's global Otsu threshold after its preprocessing, written to threshold.tif. */
    static Baseline baseline(Analysis.Options o, Volume image, Stages stages) throws IOException {
        Volume pre = Pipeline.parse(Analysis.THRESHOLD_PREPROCESSING).view(image, true);
        ThresholdBaseline thr = ThresholdBaseline.of(pre, AutoThreshold.Method.OTSU, stages.stage("threshold: histogram"));
        Path thrPath = o.out().resolve(Analysis.THRESHOLD);
        TiffWriter.write(thrPath, image.info().withType(PixelType.U8), thr.masks(), stages.stage("threshold: masks"));
        return new Baseline(thrPath, thr.threshold());
    }

    /**
     * The CNN segmentation inside the ROI, written to cnn.tif, cnn_probability.tif and
     * cnn_uncertainty.tif: by the model's members, or replayed from {@code predictions}.
     */
    static Cnn cnn(Analysis.Options o, ModelInfo modelInfo, Calibration cal, Volume image, Volume roi,
            Analysis.Predictions predictions, Consumer<String> warn, Stages stages) throws IOException {
        Path cnnPath = o.out().resolve(Analysis.CNN);
        Path probPath = o.out().resolve(Analysis.PROBABILITY);
        Path uncPath = o.out().resolve(Analysis.UNCERTAINTY);
        StackSegmentation.Result cnn;
        int members;
        List<Network> nets = predictions != null ? List.of() : ModelStore.loadMembers(o.model(), o.fold());
        nets.forEach(n -> n.precision(o.precision()));
        try {
            String vw = modelInfo == null ? null : modelInfo.voxelWarning(cal);
            if (vw != null) {
                warn.accept(vw);
            }
            members = predictions != null ? predictions.members() : nets.size();
            ProgressListener stage = stages.stage("CNN segmentation (" + members + (members == 1 ? " model)" : " models averaged)"));
            if (predictions == null) {
                // slice by slice, whole, as poreseg-spark's executors predict: the same bytes either way
                cnn = StackSegmentation.run(image, Analysis.newSegmenter(nets), o.threshold(), cnnPath, probPath, uncPath, roi,
                        StackSegmentation.Pipelining.PER_SLICE, stage);
            } else {
                cnn = StackSegmentation.run(image, predictions, o.threshold(), cnnPath, probPath, uncPath, roi, stage);
            }
        } finally {
            nets.forEach(Network::close);
        }
        return new Cnn(cnn, cnnPath, probPath, members);
    }

    /** The first ten slice warnings of the CNN segmentation, and how many more there were. */
    static void cnnWarnings(StackSegmentation.Result cnn, Consumer<String> warn) {
        int shown = 0;
        for (String sw : cnn.warnings()) {
            if (shown++ < 10) {
                warn.accept(sw);
            }
        }
        if (cnn.warnings().size() > 10) {
            warn.accept((cnn.warnings().size() - 10) + " more slices without usable contrast");
        }
    }
}

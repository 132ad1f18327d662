package poreseg.workflow;

import java.io.IOException;
import java.nio.file.Path;
import poreseg.synth.SynthParams;

/**
 * {@code poreseg demo}: the {@link Analysis} on built-in synthetic data with exact truth, with the
 * threshold baseline beside the CNN and both scored against the truth. With a stack of the user's
 * ({@code demo --images}), the same as {@code poreseg analyze STACK --baseline}.
 */
public final class Demo {
    /** Preprocessing of the threshold baseline (see {@link Analysis#THRESHOLD_PREPROCESSING}). */
    public static final String THRESHOLD_PREPROCESSING = Analysis.THRESHOLD_PREPROCESSING;

    /**
     * @param out      output folder (created; must be empty or absent unless force)
     * @param quick    small data for a run of about ten seconds
     * @param images   the user's stack, or null for built-in synthetic data with truth
     * @param roi      particle mask of the user's stack (255 = inside), or null
     * @param model    "default" (bundled) or a model folder
     * @param seed     seed of the synthetic data
     * @param force    allow writing into a non-empty output folder
     */
    public record Options(Path out, boolean quick, Path images, Path roi, String model, long seed, boolean force) {
        /** The analysis these options describe. */
        public Analysis.Options analysis() {
            Analysis.Roi r = roi == null ? Analysis.Roi.NONE : new Analysis.Roi(Analysis.RoiKind.FILE, roi);
            return new Analysis.Options(images, images == null ? synthParams(quick, seed) : null, out, model, null, 0.5, r,
                    null, null, true, quick, force);
        }
    }

    private Demo() {
    }

    public static Analysis.Result run(Options o, Stages stages) throws IOException {
        return Analysis.run(o.analysis(), stages);
    }

    static SynthParams synthParams(boolean quick, long seed) {
        SynthParams p = SynthParams.defaults().withSeed(seed);
        return quick ? p.withSize(128).withSlices(24) : p.withSize(256).withSlices(64);
    }
}

package poreseg.workflow;

import java.io.IOException;
import java.nio.file.Path;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.metrics.Evaluation;
import poreseg.morpho.MeasureResult;
import poreseg.morpho.PoreMeasures;

/** Measures a written segmentation (255 = pore) and, when a truth file is given, scores it. */
final class Variants {
    private Variants() {
    }

    /**
     * @param probPath  probability stack of the segmentation (MSE is computed on it), or null
     * @param truthPath ground-truth mask (255 = pore), or null for no scores
     * @param roi       region of interest, or null for the whole volume
     * @param distances also compute the distance-based measures (max radius, pore sizes), slower
     */
    static Variant measure(String name, Path maskPath, Path probPath, Path truthPath, Volume roi, boolean distances, Stages stages)
            throws IOException {
        try (Volume mask = Volumes.open(maskPath)) {
            MeasureResult m = PoreMeasures.measure(mask, roi, mask.info().calibration(), 255,
                    new PoreMeasures.Options(true, distances), stages.stage("measuring " + name));
            Evaluation e = null;
            if (truthPath != null) {
                try (Volume truth = Volumes.open(truthPath); Volume prob = probPath == null ? null : Volumes.open(probPath)) {
                    e = Evaluation.evaluate(mask, truth, prob, roi, 255f, stages.stage("scoring " + name));
                }
            }
            return new Variant(name, maskPath, m, e);
        }
    }
}

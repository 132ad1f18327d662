package poreseg.net;

import java.io.IOException;
import poreseg.io.DataException;
import poreseg.io.SliceSource;
import poreseg.io.Volume;
import poreseg.util.ProgressListener;

/**
 * Scores pore probabilities (or hard 0/1 masks) against a truth mask, over all pixels of a stack:
 * accuracy, precision, recall, F1 and IoU of the pore class at probability > 0.5, MSE of the
 * probabilities, and BCE.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /** {@code prob} gives slice z's probabilities (0..1) for z in [0, truth depth). */
    public static EpochMetrics evaluate(SliceSource prob, Volume truth, Float poreValue, ProgressListener progress) throws IOException {
        MaskEncoding enc = MaskEncoding.detect(truth, poreValue);
        EpochMetrics m = new EpochMetrics();
        int n = truth.info().depth();
        for (int z = 0; z < n; z++) {
            float[] p = prob.slice(z);
            float[] t = enc.binarize(truth.slice(z));
            if (p.length != t.length) {
                throw new DataException(truth.source() + ": slice " + z + " has " + t.length + " pixels, the prediction " + p.length);
            }
            m.addSlice(p, t);
            progress.progress(z + 1, n);
        }
        return m;
    }

    /** Scores of a trained model on an image stack and its truth. */
    public static EpochMetrics evaluate(Segmenter seg, Volume image, Volume truth, Float poreValue, ProgressListener progress)
            throws IOException {
        if (!image.info().sameShape(truth.info())) {
            throw new DataException(truth.source() + ": truth size " + truth.info().shape() + " differs from image size " + image.info().shape());
        }
        return evaluate(z -> seg.probability(image.slice(z), image.info()), truth, poreValue, progress);
    }
}

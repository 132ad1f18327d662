package poreseg.threshold;

import poreseg.core.Histogram;

/**
 * A global automatic threshold computed from the stack's histogram; registered by name in
 * {@link ThresholdMethods}. Foreground is value &gt; threshold (or &lt;= with dark foreground).
 */
public interface ThresholdMethod {
    /** The name on the command line, lower case. */
    String id();

    /** The threshold, in grey values of the image. */
    double compute(Histogram h);

    /** Histogram bins to use on an image of this kind when {@code requested} are asked for (float images only; integer ones get one bin per grey value). */
    default int bins(int requested, boolean integerType) {
        return requested;
    }
}

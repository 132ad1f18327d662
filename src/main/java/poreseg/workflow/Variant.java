package poreseg.workflow;

import java.nio.file.Path;
import poreseg.metrics.Evaluation;
import poreseg.morpho.MeasureResult;

/**
 * One segmentation of the stack (ground truth, threshold baseline, CNN) with its 3D measures and,
 * when a ground truth exists, its pixel scores against it (null otherwise).
 */
public record Variant(String name, Path mask, MeasureResult measures, Evaluation evaluation) {
}

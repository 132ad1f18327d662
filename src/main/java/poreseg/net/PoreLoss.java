package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import java.util.Locale;
import poreseg.util.ParameterException;

/**
 * Loss on sigmoid probabilities: binary cross-entropy as Keras computes it (probabilities clipped to
 * [1e-7, 1 - 1e-7], mean over pixels), or BCE plus soft Dice loss (1 - (2 sum(p y) + 1) / (sum p +
 * sum y + 1), over the batch). With sparse labels both are taken over the labelled pixels only.
 */
public final class PoreLoss extends Loss {
    private static final float EPS = 1e-7f;
    private final boolean dice;
    private final boolean sparse;

    public PoreLoss(String kind) {
        this(kind, false);
    }

    /** With {@code sparse}, labels below 0 mark unlabelled pixels, which the loss ignores. */
    public PoreLoss(String kind, boolean sparse) {
        super(kind);
        this.sparse = sparse;
        this.dice = switch (kind.toLowerCase(Locale.ROOT)) {
            case "bce" -> false;
            case "bce+dice" -> true;
            default -> throw new ParameterException("unknown loss '" + kind + "' (use bce or bce+dice)");
        };
    }

    public boolean usesDice() {
        return dice;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray y = labels.singletonOrThrow();
        NDArray p = predictions.singletonOrThrow().clip(EPS, 1 - EPS);
        if (!sparse) {
            NDArray bce = y.mul(p.log()).add(y.neg().add(1).mul(p.neg().add(1).log())).mean().neg();
            if (!dice) {
                return bce;
            }
            NDArray inter = p.mul(y).sum().mul(2).add(1);
            NDArray denom = p.sum().add(y.sum()).add(1);
            return bce.add(inter.div(denom).neg().add(1));
        }
        // sparse labels: unlabelled pixels (y < 0) have weight 0; means are over labelled pixels
        NDArray w = y.gte(0f).toType(DataType.FLOAT32, false);
        NDArray t = y.clip(0f, 1f);
        NDArray n = w.sum().maximum(1f);
        NDArray bce = t.mul(p.log()).add(t.neg().add(1).mul(p.neg().add(1).log())).mul(w).sum().div(n).neg();
        if (!dice) {
            return bce;
        }
        NDArray pw = p.mul(w);
        NDArray inter = pw.mul(t).sum().mul(2).add(1);
        NDArray denom = pw.sum().add(t.mul(w).sum()).add(1);
        return bce.add(inter.div(denom).neg().add(1));
    }
}

package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.Locale;

/**
 * Loss on sigmoid probabilities: binary cross-entropy as Keras computes it (probabilities clipped to
 * [1e-7, 1 - 1e-7], mean over pixels), or BCE plus soft Dice loss (1 - (2 sum(p y) + 1) / (sum p +
 * sum y + 1), over the batch).
 */
public final class PoreLoss extends Loss {
    private static final float EPS = 1e-7f;
    private final boolean dice;

    public PoreLoss(String kind) {
        super(kind);
        this.dice = switch (kind.toLowerCase(Locale.ROOT)) {
            case "bce" -> false;
            case "bce+dice" -> true;
            default -> throw new IllegalArgumentException("unknown loss '" + kind + "' (use bce or bce+dice)");
        };
    }

    public boolean usesDice() {
        return dice;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray y = labels.singletonOrThrow();
        NDArray p = predictions.singletonOrThrow().clip(EPS, 1 - EPS);
        NDArray bce = y.mul(p.log()).add(y.neg().add(1).mul(p.neg().add(1).log())).mean().neg();
        if (!dice) {
            return bce;
        }
        NDArray inter = p.mul(y).sum().mul(2).add(1);
        NDArray denom = p.sum().add(y.sum()).add(1);
        return bce.add(inter.div(denom).neg().add(1));
    }
}

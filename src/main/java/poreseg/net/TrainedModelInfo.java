package poreseg.net;

import ai.djl.nn.Block;
import java.time.Instant;
import java.util.Map;
import poreseg.net.FoldSplits.Split;

/** The model.json of a checkpoint of {@link NetTrainer}: the architecture, preprocessing, tiling, training recipe and scores. */
final class TrainedModelInfo {
    private TrainedModelInfo() {
    }

    /**
     * The description of the checkpoint of epoch {@code epoch} of split {@code s} with validation scores
     * {@code val}; {@code init} is the model it was initialised from (null: none).
     */
    static ModelInfo describe(TrainOptions o, String init, Block block, Preprocessing pre, Map<String, Object> summary,
            ModelInfo.Scores val, int epoch, Split s, int steps, int crops) {
        ModelInfo info = new ModelInfo();
        Architecture a = o.arch();
        info.architecture = a.name();
        info.width = a.width();
        info.depth = a.depth();
        info.parameters = Architecture.trainableParameters(block);
        info.preprocessing = pre.spec();
        info.inputScaling = pre.scaling();
        info.patch = o.patch();
        info.tile = NetTrainer.inferenceTile(o);
        info.overlap = NetTrainer.inferenceOverlap(o);
        info.training.putAll(summary);
        info.training.put("epochs", o.epochs());
        info.training.put("best_epoch", epoch);
        info.training.put("steps_per_epoch", steps);
        info.training.put("batch", o.batch());
        info.training.put("learning_rate", o.lr());
        info.training.put("optimizer", "adam");
        info.training.put("schedule", "ReduceLROnPlateau(val_loss, factor 0.2, patience 10, min_lr 1e-5)"
                + (o.cosine() ? " x cosine decay to 0.01 over all steps" : ""));
        info.training.put("loss", o.loss());
        info.training.put("augment", o.augment());
        if (o.augment()) {
            info.training.put("geometry", o.geometry().label());
        }
        info.training.put("folds", o.folds());
        info.training.put("split", s.describe());
        info.training.put("labelled_fraction", s.train().labelledFraction());
        info.training.put("bn_recalibration", crops > 0 ? "running statistics recomputed over " + crops
                + " crops of the training slices before every validation and checkpoint" : "none (no batch norm)");
        info.training.put("validation", "eval mode, tiles " + info.tile + " overlap " + info.overlap + " (as segment)");
        info.training.put("seed", o.seed());
        if (init != null) {
            info.training.put("initialised_from", init);
        }
        info.scores = val;
        info.engine = NetEngine.describe();
        info.created = Instant.now().toString();
        return info;
    }
}

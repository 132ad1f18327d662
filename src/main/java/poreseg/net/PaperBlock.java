package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The paper network's layers (a {@link SequentialBlock}, so its parameters and saved files are those of
 * the plain sequence), whose training-mode forward pass can run through the TorchScript kernel
 * {@code paper_train.pt} (scripts/make-kernels.py): one call instead of one JNI call per layer,
 * channels-last, the decoder's upsampling folded into coarse convolutions, optionally bf16 convolutions
 * on fp32 master weights. Inference and the layer-by-layer path are the sequence's own.
 */
final class PaperBlock extends SequentialBlock implements KernelTrainable {
    private final TrainingKernel.Slot trainingKernel = new TrainingKernel.Slot("paper_train");

    @Override
    public PaperBlock training(boolean kernel, Precision precision) {
        trainingKernel.configure(kernel, precision);
        return this;
    }

    @Override
    public boolean trainsThroughKernel() {
        return trainingKernel.active(true);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (training && trainsThroughKernel()) {
            // on the parameters' manager, which lives as long as the block (the input's is one batch's)
            NDArray y = trainingKernel.forward(this, ps, inputs.singletonOrThrow(), getParameters().get(0).getValue().getArray());
            if (y != null) {
                return new NDList(y);
            }
        }
        return super.forwardInternal(ps, inputs, training, params);
    }
}

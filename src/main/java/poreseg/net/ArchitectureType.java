package poreseg.net;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * One kind of network, registered by name in {@link Architectures}. A new architecture is one class
 * implementing this interface plus one {@link Architectures#register} line (see docs/architecture.md).
 * A network maps a 1-channel image (NCHW, values about 0..1) to a 1-channel pore probability of the
 * same size; its height and width must be multiples of {@code 2^depth}.
 */
public interface ArchitectureType {
    /** The name used on the command line and in model.json, lower case. */
    String name();

    /** One line for help texts. */
    String summary();

    /** Channels at the first level, when not given. */
    int defaultWidth();

    /** Number of poolings (input sizes are multiples of 2^depth), when not given. */
    int defaultDepth();

    /** True when width and depth are fixed (a published network): given values are ignored. */
    default boolean fixedShape() {
        return false;
    }

    /** A new, uninitialised block of the given width and depth. */
    Block newBlock(int width, int depth);

    /**
     * The name of this type's TorchScript inference kernel (resource poreseg/net/kernels/NAME.pt, see
     * {@link ScriptedKernel}) for this width and depth, or null to run the DJL block layer by layer
     * (always correct, slower, fp32 only).
     */
    default String inferenceKernel(int width, int depth) {
        return null;
    }

    /**
     * Sets how a block of this type runs its training passes (called before training with the
     * resolved precision). The default trains layer by layer in fp32 whatever is asked; types with a
     * training kernel use it (see {@link TrainingKernel}).
     */
    default void configureTraining(Block block, Precision precision) {
    }

    /** True when this width and depth train through a kernel, so bf16 training is possible. */
    default boolean hasTrainingKernel(int width, int depth) {
        return false;
    }

    /** Whether the study (the paper's experiment) trains this network with intensity augmentation. */
    default boolean studyAugmentation() {
        return true;
    }

    /** The training recipe of {@code train} for this network (defaults of every option). */
    default TrainOptions recipe(Architecture a) {
        return TrainOptions.defaults(a);
    }

    /** How a network of this type is shown: {@code name(width W, depth D)}, or the name when fixed. */
    default String describe(int width, int depth) {
        return fixedShape() ? name() : name() + "(width " + width + ", depth " + depth + ")";
    }

    /** Trainable parameters of a network of this type (builds and initialises one on the CPU engine). */
    default long parameters(int width, int depth) {
        Architecture a = new Architecture(name(), width, depth);
        try (NDManager m = NetEngine.newManager()) {
            return Architecture.trainableParameters(a.newInitializedBlock(m, new Shape(1, 1, a.multiple(), a.multiple())));
        }
    }
}

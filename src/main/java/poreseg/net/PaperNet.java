package poreseg.net;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;

/**
 * {@code paper}: the published Keras network of Lee et al. 2023 (331,137 parameters): three 3x3
 * convolution + max-pool levels (32, 64, 128), a per-pixel dense layer, three upsampling levels.
 * Its shape is fixed (width 32, depth 3); the study trains it without augmentation, as published.
 */
final class PaperNet implements ArchitectureType {
    @Override
    public String name() {
        return "paper";
    }

    @Override
    public String summary() {
        return "the published network of Lee et al. 2023 (331,137 parameters, fixed shape)";
    }

    @Override
    public int defaultWidth() {
        return 32;
    }

    @Override
    public int defaultDepth() {
        return 3;
    }

    @Override
    public boolean fixedShape() {
        return true;
    }

    @Override
    public boolean studyAugmentation() {
        return false;
    }

    @Override
    public String inferenceKernel(int width, int depth) {
        return "paper";
    }

    @Override
    public boolean hasTrainingKernel(int width, int depth) {
        return true;
    }

    /** Trains through the TorchScript kernel {@code paper_train} (fp32 or bf16). */
    @Override
    public void configureTraining(Block block, Precision precision) {
        ((KernelTrainable) block).training(true, precision);
    }

    @Override
    public Block newBlock(int width, int depth) {
        PaperBlock b = new PaperBlock();
        b.add(Layers.conv3(32)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        b.add(Layers.conv3(64)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        b.add(Layers.conv3(128)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        b.add(Layers.conv1(128)).add(Activation.reluBlock()); // Keras Dense(128) on a 4D tensor acts per pixel
        b.add(Layers.upsample2()).add(Layers.conv3(128)).add(Activation.sigmoidBlock());
        b.add(Layers.upsample2()).add(Layers.conv3(64)).add(Activation.sigmoidBlock());
        b.add(Layers.upsample2()).add(Layers.conv3(1)).add(Activation.sigmoidBlock());
        return b;
    }
}

package poreseg.net;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.ndarray.types.Shape;

/**
 * The example of docs/architecture.md: a whole new architecture in one class. One 3x3 convolution
 * of {@code width} channels, ReLU, a 1x1 convolution to one channel and a sigmoid; no pooling.
 * Registered with {@code Architectures.register(new TinyNet())}.
 */
final class TinyNet implements ArchitectureType {
    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public String summary() {
        return "one 3x3 convolution and a 1x1 head (an example)";
    }

    @Override
    public int defaultWidth() {
        return 4;
    }

    @Override
    public int defaultDepth() {
        return 0;
    }

    @Override
    public Block newBlock(int width, int depth) {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(width).build())
                .add(Activation.reluBlock())
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(1).build())
                .add(Activation.sigmoidBlock());
    }
}

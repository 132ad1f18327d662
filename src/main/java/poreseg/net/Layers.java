package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.ndarray.types.Shape;

/** Building blocks shared by the architectures. Tensors are NCHW float32. */
final class Layers {
    /** PyTorch interpolate mode index for nearest neighbour (DJL's NDArrayEx.interpolation). */
    private static final int NEAREST = 0;

    private Layers() {
    }

    /** 3x3 convolution with 'same' padding (Keras padding='same'), with bias. */
    static Conv2d conv3(int filters) {
        return new PaddedConv2d(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)));
    }

    /** 3x3 'same' convolution without bias (followed by batch norm). */
    static Conv2d conv3NoBias(int filters) {
        return new PaddedConv2d(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).optBias(false));
    }

    /** 1x1 convolution: a per-pixel dense layer. */
    static Conv2d conv1(int filters) {
        return new PaddedConv2d(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(1, 1)));
    }

    /** (conv 3x3 - batch norm - relu) twice. */
    static SequentialBlock doubleConv(int filters) {
        SequentialBlock b = new SequentialBlock();
        for (int i = 0; i < 2; i++) {
            b.add(conv3NoBias(filters)).add(BatchNorm.builder().build()).add(Activation.reluBlock());
        }
        return b;
    }

    /** Nearest-neighbour upsampling by an integer factor (Keras UpSampling2D), one native op. */
    static NDArray upsampleNearest(NDArray x, int factor) {
        Shape s = x.getShape();
        long h = s.get(s.dimension() - 2);
        long w = s.get(s.dimension() - 1);
        return x.getNDArrayInternal().interpolation(new long[] {h * factor, w * factor}, NEAREST, false);
    }

    static Block upsample2() {
        return new LambdaBlock(l -> new NDList(upsampleNearest(l.singletonOrThrow(), 2)), "upsample2");
    }
}

package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import poreseg.util.ParameterException;

/**
 * U-Net (Ronneberger et al. 2015) with batch norm: {@code depth} levels of (conv-BN-relu) x2 with
 * max-pool 2, a bottleneck, and a decoder of nearest upsampling, concatenation with the skip
 * connection, and (conv-BN-relu) x2; level i has {@code width * 2^i} channels; a 1x1 convolution and
 * sigmoid give the pore probability. Input height and width must be multiples of 2^depth.
 */
final class UNetBlock extends AbstractBlock implements KernelTrainable {
    private static final byte VERSION = 1;
    private final int width;
    private final int depth;

    int depth() {
        return depth;
    }
    private final List<Block> down = new ArrayList<>();
    private final List<Block> up = new ArrayList<>();
    private final Block bottom;
    private final Block head;
    /** Training forward through the TorchScript kernel (when configured, it loads and the width fits it). */
    private final TrainingKernel.Slot trainingKernel = new TrainingKernel.Slot("unet_train");

    UNetBlock(int width, int depth) {
        super(VERSION);
        if (width < 1 || depth < 1 || depth > 6) {
            throw new ParameterException("unet width must be >= 1 and depth 1..6, got width " + width + ", depth " + depth);
        }
        this.width = width;
        this.depth = depth;
        for (int i = 0; i < depth; i++) {
            down.add(addChildBlock("down" + i, Layers.doubleConv(width << i)));
        }
        bottom = addChildBlock("bottom", Layers.doubleConv(width << depth));
        for (int i = depth - 1; i >= 0; i--) {
            up.add(addChildBlock("up" + i, Layers.doubleConv(width << i)));
        }
        head = addChildBlock("head", Layers.conv1(1));
    }

    @Override
    public UNetBlock training(boolean kernel, Precision precision) {
        trainingKernel.configure(kernel, precision);
        return this;
    }

    @Override
    public boolean trainsThroughKernel() {
        return trainingKernel.active(UNet.fitsKernels(width));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (training && trainsThroughKernel()) {
            // on the parameters' manager, which lives as long as the block (x's is one batch's)
            NDArray y = trainingKernel.forward(this, ps, x, head.getParameters().get(0).getValue().getArray());
            if (y != null) {
                return new NDList(y);
            }
        }
        List<NDArray> skips = new ArrayList<>(depth);
        for (Block b : down) {
            x = b.forward(ps, new NDList(x), training).singletonOrThrow();
            skips.add(x);
            x = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
        }
        x = bottom.forward(ps, new NDList(x), training).singletonOrThrow();
        for (int k = 0; k < depth; k++) {
            NDArray skip = skips.get(depth - 1 - k);
            x = NDArrays.concat(new NDList(Layers.upsampleNearest(x, 2), skip), 1);
            x = up.get(k).forward(ps, new NDList(x), training).singletonOrThrow();
        }
        x = head.forward(ps, new NDList(x), training).singletonOrThrow();
        return new NDList(Activation.sigmoid(x));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        return new Shape[] {new Shape(s.get(0), 1, s.get(2), s.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        long n = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        long c = s.get(1);
        long[] hs = new long[depth];
        long[] ws = new long[depth];
        for (int i = 0; i < depth; i++) {
            down.get(i).initialize(manager, dataType, new Shape(n, c, h, w));
            c = width << i;
            hs[i] = h;
            ws[i] = w;
            h = Math.max(1, h / 2);
            w = Math.max(1, w / 2);
        }
        bottom.initialize(manager, dataType, new Shape(n, c, h, w));
        c = width << depth;
        for (int k = 0; k < depth; k++) {
            int i = depth - 1 - k;
            up.get(k).initialize(manager, dataType, new Shape(n, c + (width << i), hs[i], ws[i]));
            c = width << i;
        }
        head.initialize(manager, dataType, new Shape(n, c, hs[0], ws[0]));
    }
}

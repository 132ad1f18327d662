package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 2D convolution whose output channels are padded with zero filters to a multiple of 16 for the
 * native call, then cut back. Same parameters (names, shapes, file format) and same results as
 * {@link Conv2d}. Works around a oneDNN bug in PyTorch 2.7.1 (oneDNN 3.7.1) on CPUs: when the number
 * of output channels is not a multiple of the channel block (8 or 16), the backward pass reads
 * uninitialised padding and returns NaN input gradients at random (measured: the paper network's last
 * 3x3 convolution with one output channel gave NaN gradients in the first step, so the whole network
 * became NaN). With a whole number of blocks oneDNN needs no padding.
 */
final class PaddedConv2d extends Conv2d {
    static final int BLOCK = 16;

    PaddedConv2d(Conv2d.Builder builder) {
        super(builder);
    }

    /** A convolution that is padded only when its filter count needs it. */
    static Conv2d of(Conv2d.Builder builder, int filters) {
        return filters % BLOCK == 0 ? builder.build() : new PaddedConv2d(builder);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = includeBias ? store.getValue(bias, x.getDevice(), training) : null;
        int padded = (filters + BLOCK - 1) / BLOCK * BLOCK;
        Shape ws = w.getShape();
        NDArray zw = x.getManager().zeros(new Shape(padded - filters, ws.get(1), ws.get(2), ws.get(3)), w.getDataType());
        NDArray wp = w.concat(zw, 0);
        NDArray bp = b == null ? null : b.concat(x.getManager().zeros(new Shape(padded - filters), b.getDataType()), 0);
        NDArray y = Conv2d.conv2d(x, wp, bp, stride, padding, dilation, groups).singletonOrThrow();
        return new NDList(y.get(":, 0:" + filters));
    }
}

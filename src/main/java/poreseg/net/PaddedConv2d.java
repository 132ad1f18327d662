package poreseg.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 2D convolution whose input and output channels are padded with zeros to multiples of 16 for the
 * native call (zero input channels with zero weights, zero filters whose outputs are cut off again).
 * Same parameters (names, shapes, file format) and same results as {@link Conv2d}. Works around a
 * oneDNN bug in PyTorch 2.7.1 (oneDNN 3.7.1) on CPUs: when a channel count is not a multiple of the
 * channel block (8 or 16), oneDNN reads uninitialised padding and returns NaN at random (measured:
 * the paper network's last 3x3 convolution with one output channel gave NaN gradients in the first
 * step, so the whole network became NaN; a width-4 U-Net, with 4, 8 and 12 channels, went NaN after a
 * few epochs). With whole blocks oneDNN needs no padding. One input channel (a network's first
 * layer) is left alone: oneDNN runs it in the plain layout, and padding it would cost 16 times that
 * layer's work.
 */
final class PaddedConv2d extends Conv2d {
    static final int BLOCK = 16;

    PaddedConv2d(Conv2d.Builder builder) {
        super(builder);
    }

    private static int roundUp(long n) {
        return (int) ((n + BLOCK - 1) / BLOCK * BLOCK);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long ci = x.getShape().get(1);
        int inPad = ci == 1 || ci % BLOCK == 0 ? 0 : roundUp(ci) - (int) ci;
        int outPad = roundUp(filters) - filters;
        if (inPad == 0 && outPad == 0) {
            return super.forwardInternal(store, inputs, training, params);
        }
        NDManager m = x.getManager();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = includeBias ? store.getValue(bias, x.getDevice(), training) : null;
        Shape ws = w.getShape();
        if (inPad > 0) {
            Shape xs = x.getShape();
            x = x.concat(m.zeros(new Shape(xs.get(0), inPad, xs.get(2), xs.get(3)), x.getDataType()), 1);
            w = w.concat(m.zeros(new Shape(ws.get(0), inPad, ws.get(2), ws.get(3)), w.getDataType()), 1);
        }
        if (outPad > 0) {
            w = w.concat(m.zeros(new Shape(outPad, w.getShape().get(1), ws.get(2), ws.get(3)), w.getDataType()), 0);
            b = b == null ? null : b.concat(m.zeros(new Shape(outPad), b.getDataType()), 0);
        }
        NDArray y = Conv2d.conv2d(x, w, b, stride, padding, dilation, groups).singletonOrThrow();
        if (outPad == 0) {
            return new NDList(y);
        }
        return new NDList(y.get(":, 0:" + filters));
    }
}

package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** The channel-padded convolution computes exactly a 3x3 'same' convolution and its gradients, without NaN. */
class PaddedConv2dTest {
    private static final int C = 3;
    private static final int H = 7;
    private static final int W = 9;

    @Test
    void oneOutputChannelGivesHandComputedOutputAndGradients() {
        Engine e = NetEngine.get();
        try (NDManager m = NetEngine.newManager()) {
            Conv2d conv = Layers.conv3(1);
            assertTrue(conv instanceof PaddedConv2d);
            conv.initialize(m, DataType.FLOAT32, new Shape(1, C, H, W));
            float[] x = new float[C * H * W];
            float[] r = new float[H * W];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(0.37 * i);
            }
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) Math.cos(0.23 * i);
            }
            NDArray xa = m.create(x, new Shape(1, C, H, W));
            xa.setRequiresGradient(true);
            NDArray ra = m.create(r, new Shape(1, 1, H, W));
            NDArray y;
            for (int pass = 0; pass < 5; pass++) { // the bug showed at random: repeat
                try (GradientCollector gc = e.newGradientCollector()) {
                    y = conv.forward(new ParameterStore(m, false), new NDList(xa), true).singletonOrThrow();
                    gc.backward(y.mul(ra).sum());
                }
                float[] w = conv.getParameters().get("weight").getArray().toFloatArray();
                float bias = conv.getParameters().get("bias").getArray().toFloatArray()[0];
                assertEquals(new Shape(1, 1, H, W), y.getShape());
                float[] out = y.toFloatArray();
                float[] gx = xa.getGradient().toFloatArray();
                for (int i = 0; i < H; i++) {
                    for (int j = 0; j < W; j++) {
                        double s = bias;
                        for (int c = 0; c < C; c++) {
                            for (int a = 0; a < 3; a++) {
                                for (int b = 0; b < 3; b++) {
                                    int yi = i + a - 1;
                                    int xj = j + b - 1;
                                    if (yi >= 0 && yi < H && xj >= 0 && xj < W) {
                                        s += w[(c * 3 + a) * 3 + b] * x[(c * H + yi) * W + xj];
                                    }
                                }
                            }
                        }
                        assertEquals(s, out[i * W + j], 1e-5);
                    }
                }
                for (int c = 0; c < C; c++) {
                    for (int i = 0; i < H; i++) {
                        for (int j = 0; j < W; j++) {
                            // d/dx[c,i,j] of sum r*y: every output (i - a + 1, j - b + 1) that sees x[c,i,j]
                            double g = 0;
                            for (int a = 0; a < 3; a++) {
                                for (int b = 0; b < 3; b++) {
                                    int oi = i - a + 1;
                                    int oj = j - b + 1;
                                    if (oi >= 0 && oi < H && oj >= 0 && oj < W) {
                                        g += r[oi * W + oj] * w[(c * 3 + a) * 3 + b];
                                    }
                                }
                            }
                            assertEquals(g, gx[(c * H + i) * W + j], 1e-5, "input gradient at " + c + "," + i + "," + j);
                        }
                    }
                }
                xa.getGradient().subi(xa.getGradient()); // gradients accumulate: reset for the next pass
            }
        }
    }
}

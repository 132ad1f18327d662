package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    @Test
    void paperNetworkHasThePublishedParameterCount() {
        try (NDManager m = NetEngine.newManager()) {
            Block b = Architecture.paper().newInitializedBlock(m, new Shape(1, 1, 256, 256));
            assertEquals(331_137, Architecture.trainableParameters(b));
        }
    }

    @Test
    void unetParameterCountFollowsWidthAndDepth() {
        try (NDManager m = NetEngine.newManager()) {
            // width 4, depth 1: down 1->4 (36+4 bn... no bias): convs 1*4*9 + 4*4*9, BN 2*4 each;
            // bottom 4->8: 4*8*9 + 8*8*9, BN 2*8 x2; up (8+4)->4: 12*4*9 + 4*4*9, BN 2*4 x2; head 4+1
            long expected = (36 + 144 + 16) + (288 + 576 + 32) + (432 + 144 + 16) + 5;
            Block b = new Architecture("unet", 4, 1).newInitializedBlock(m, new Shape(1, 1, 16, 16));
            assertEquals(expected, Architecture.trainableParameters(b));
        }
    }

    @Test
    void outputsHaveTheInputSizeAndAreProbabilities() {
        for (Architecture a : new Architecture[] {Architecture.paper(), new Architecture("unet", 4, 2)}) {
            try (NDManager m = NetEngine.newManager()) {
                Block b = a.newInitializedBlock(m, new Shape(2, 1, 32, 48));
                NDArray x = m.randomUniform(0, 1, new Shape(2, 1, 32, 48));
                NDArray y = b.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
                assertEquals(new Shape(2, 1, 32, 48), y.getShape(), a.toString());
                assertTrue(y.min().getFloat() >= 0 && y.max().getFloat() <= 1, a.toString());
            }
        }
    }

    @Test
    void unknownArchitectureIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Architecture("resnet", 16, 3));
    }

    @Test
    void aNewArchitectureIsOneClassAndOneRegistrationLine() {
        Architectures.register(new TinyNet());
        assertTrue(Architectures.names().contains("tiny"));
        Architecture a = Architecture.parse("tiny", null, null);
        assertEquals("tiny(width 4, depth 0)", a.toString());
        assertEquals(1, a.multiple());
        // 3x3 conv 1 -> 4 with bias, 1x1 conv 4 -> 1 with bias
        assertEquals(4 * 9 + 4 + 4 + 1, a.type().parameters(a.width(), a.depth()));
        try (NDManager m = NetEngine.newManager()) {
            Block b = a.newInitializedBlock(m, new Shape(1, 1, 7, 5));
            NDArray y = b.forward(new ParameterStore(m, false), new NDList(m.randomUniform(0, 1, new Shape(1, 1, 7, 5))), false).singletonOrThrow();
            assertEquals(new Shape(1, 1, 7, 5), y.getShape());
        }
        assertEquals(TrainOptions.defaults(a), a.type().recipe(a));
        assertTrue(NetBenchmark.train(a, 2, 16, 1, Precision.FP32, false) != null);
    }

    @Test
    void paperShapeIsFixedAndUnetTakesGivenShape() {
        assertEquals(Architecture.paper(), new Architecture("PAPER", 8, 1));
        assertEquals("paper", Architecture.paper().toString());
        assertEquals("unet(width 16, depth 3)", Architecture.unet().toString());
        assertEquals(new Architecture("unet", 8, 2), Architecture.parse("unet", 8, 2));
        assertTrue(assertThrows(poreseg.util.ParameterException.class, () -> Architecture.parse("resnet", null, null))
                .getMessage().matches("unknown architecture .resnet. \\(use paper(, | or )unet.*"));
    }
}

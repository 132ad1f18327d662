package poreseg.net;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import java.util.Locale;
import poreseg.util.ParameterException;

/**
 * A network architecture by name: {@code paper} (the published Keras network of Lee et al. 2023,
 * 331,137 parameters) or {@code unet} (U-Net with batch norm, {@code width} channels at the first
 * level and {@code depth} poolings). Both map a 1-channel image (NCHW, values about 0..1) to a
 * 1-channel pore probability of the same size.
 */
public record Architecture(String name, int width, int depth) {
    public static final int UNET_DEFAULT_WIDTH = 16;
    public static final int UNET_DEFAULT_DEPTH = 3;

    public Architecture {
        name = name.toLowerCase(Locale.ROOT);
        if (name.equals("paper")) {
            width = 32;
            depth = 3;
        } else if (!name.equals("unet")) {
            throw new ParameterException("unknown architecture '" + name + "' (use paper or unet)");
        }
    }

    public static Architecture paper() {
        return new Architecture("paper", 32, 3);
    }

    public static Architecture unet() {
        return new Architecture("unet", UNET_DEFAULT_WIDTH, UNET_DEFAULT_DEPTH);
    }

    public static Architecture parse(String name, Integer width, Integer depth) {
        return new Architecture(name, width == null ? UNET_DEFAULT_WIDTH : width, depth == null ? UNET_DEFAULT_DEPTH : depth);
    }

    /** Image height and width must be multiples of this (2^number of poolings). */
    public int multiple() {
        return 1 << depth;
    }

    /** A new, uninitialised block. */
    public Block newBlock() {
        if (name.equals("unet")) {
            return new UNetBlock(width, depth);
        }
        SequentialBlock b = new SequentialBlock();
        b.add(Layers.conv3(32)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        b.add(Layers.conv3(64)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        b.add(Layers.conv3(128)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        b.add(Layers.conv1(128)).add(Activation.reluBlock()); // Keras Dense(128) on a 4D tensor acts per pixel
        b.add(Layers.upsample2()).add(Layers.conv3(128)).add(Activation.sigmoidBlock());
        b.add(Layers.upsample2()).add(Layers.conv3(64)).add(Activation.sigmoidBlock());
        b.add(Layers.upsample2()).add(Layers.conv3(1)).add(Activation.sigmoidBlock());
        return b;
    }

    /** A new block with Glorot-uniform weights (Keras default) for inputs of the given shape. */
    public Block newInitializedBlock(NDManager manager, Shape inputShape) {
        Block b = newBlock();
        b.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3), Parameter.Type.WEIGHT);
        b.initialize(manager, DataType.FLOAT32, inputShape);
        return b;
    }

    /** Number of trainable parameters of an initialised block. */
    public static long trainableParameters(Block b) {
        long n = 0;
        for (Pair<String, Parameter> p : b.getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return name.equals("paper") ? "paper" : "unet(width " + width + ", depth " + depth + ")";
    }
}

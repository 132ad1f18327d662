package poreseg.net;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import java.util.Locale;

/**
 * A network architecture: a registered {@link ArchitectureType} by name (see {@link Architectures};
 * built in: {@code paper} and {@code unet}) with its width (channels at the first level) and depth
 * (poolings). A type of fixed shape takes its own width and depth whatever is given.
 */
public record Architecture(String name, int width, int depth) {
    public static final int UNET_DEFAULT_WIDTH = 16;
    public static final int UNET_DEFAULT_DEPTH = 3;

    public Architecture {
        name = name.toLowerCase(Locale.ROOT);
        ArchitectureType t = Architectures.get(name);
        if (t.fixedShape()) {
            width = t.defaultWidth();
            depth = t.defaultDepth();
        }
    }

    public static Architecture paper() {
        return parse("paper", null, null);
    }

    public static Architecture unet() {
        return parse("unet", null, null);
    }

    /** The architecture of this name, with the type's default width and depth where they are null. */
    public static Architecture parse(String name, Integer width, Integer depth) {
        ArchitectureType t = Architectures.get(name);
        return new Architecture(name, width == null ? t.defaultWidth() : width, depth == null ? t.defaultDepth() : depth);
    }

    /** The registered type of this architecture. */
    public ArchitectureType type() {
        return Architectures.get(name);
    }

    /** Image height and width must be multiples of this (2^number of poolings). */
    public int multiple() {
        return 1 << depth;
    }

    /** A new, uninitialised block. */
    public Block newBlock() {
        return type().newBlock(width, depth);
    }

    /** The weight initialisation of every new network: Glorot-uniform (the Keras default). */
    public static Initializer weightInitializer() {
        return new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3);
    }

    /** A new block with Glorot-uniform weights for inputs of the given shape. */
    public Block newInitializedBlock(NDManager manager, Shape inputShape) {
        Block b = newUninitializedWeights();
        b.initialize(manager, DataType.FLOAT32, inputShape);
        return b;
    }

    /** A new block whose weights get {@link #weightInitializer()} when it is initialised. */
    public Block newUninitializedWeights() {
        Block b = newBlock();
        b.setInitializer(weightInitializer(), Parameter.Type.WEIGHT);
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
        return type().describe(width, depth);
    }
}

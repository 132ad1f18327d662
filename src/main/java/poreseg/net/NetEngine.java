package poreseg.net;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import poreseg.util.Parallel;

/**
 * Starts the DJL PyTorch engine once, offline, with intra-op threads set to the core count. The CPU
 * natives come from the {@code pytorch-native-cpu} jar on the class path; DJL uses a GPU instead when a
 * {@code pytorch-native-cu*} jar is on the class path and a CUDA device is present.
 */
public final class NetEngine {
    private static Engine engine;

    private NetEngine() {
    }

    /** The PyTorch engine, started on first use. */
    public static synchronized Engine get() {
        if (engine == null) {
            System.setProperty("ai.djl.offline", "true");
            String threads = Integer.toString(Parallel.threads());
            if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
                System.setProperty("ai.djl.pytorch.num_threads", threads);
            }
            if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
                System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            }
            try {
                engine = Engine.getEngine("PyTorch");
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                throw new IllegalStateException("cannot start the PyTorch engine (DJL): " + e.getMessage(), e);
            }
        }
        return engine;
    }

    /** The device computations run on: the first GPU when DJL finds one, else the CPU. */
    public static Device device() {
        return get().defaultDevice();
    }

    /** A new root manager on {@link #device()}; close it (try-with-resources) to free native memory. */
    public static NDManager newManager() {
        return get().newBaseManager(device());
    }

    /** Human-readable engine description for reports. */
    public static String describe() {
        Engine e = get();
        return e.getEngineName() + " " + e.getVersion() + " on " + device()
                + ", " + System.getProperty("ai.djl.pytorch.num_threads") + " threads";
    }
}

package poreseg.spark;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import poreseg.net.ModelStore;
import poreseg.net.Network;
import poreseg.net.Segmenter;
import poreseg.workflow.Analysis;

/**
 * The model of a batch, loaded once per JVM (each executor) on first use and kept for the JVM's life:
 * the PyTorch engine starts once, every task of the executor shares the networks (their forward pass
 * is synchronized; PyTorch uses the executor's cores within it). Keyed by model id and fold.
 */
final class ModelHolder {
    /** A loaded model: its local folder (or "default") and the segmenter {@code analyze} would build. */
    record Loaded(String local, Segmenter segmenter, int members) {
    }

    private static final Map<String, Loaded> LOADED = new ConcurrentHashMap<>();
    private static final Map<String, String> LOCAL = new ConcurrentHashMap<>();

    private ModelHolder() {
    }

    /** The model as {@link ModelStore} takes it: "default", or a local copy of a model folder. */
    static String local(String model, Configuration conf) throws IOException {
        if (ModelStore.DEFAULT.equals(model)) {
            return model;
        }
        String have = LOCAL.get(model);
        if (have != null) {
            return have;
        }
        synchronized (LOCAL) {
            have = LOCAL.get(model);
            if (have == null) {
                have = HadoopFiles.local(model, conf, HadoopFiles.display(model) + ": model folder not found", true).toString();
                LOCAL.put(model, have);
            }
            return have;
        }
    }

    static Loaded get(String model, Integer fold, Configuration conf) throws IOException {
        String key = model + "#" + fold;
        Loaded l = LOADED.get(key);
        if (l != null) {
            return l;
        }
        synchronized (LOADED) {
            l = LOADED.get(key);
            if (l == null) {
                String local = local(model, conf);
                List<Network> nets = ModelStore.loadMembers(local, fold);
                l = new Loaded(local, Analysis.newSegmenter(nets), nets.size());
                LOADED.put(key, l);
            }
            return l;
        }
    }
}

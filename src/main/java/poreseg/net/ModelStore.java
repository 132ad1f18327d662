package poreseg.net;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import poreseg.io.DataException;
import poreseg.io.OutputFiles;
import poreseg.util.ParameterException;

/**
 * Saves and loads models: MODEL_DIR/model.json ({@link ModelInfo}) and MODEL_DIR/params.bin (DJL
 * parameter stream). The name "default" loads the model bundled in the jar
 * (resources poreseg/models/default/).
 */
public final class ModelStore {
    public static final String INFO = "model.json";
    public static final String PARAMS = "params.bin";
    public static final String DEFAULT = "default";
    static final String RESOURCE = "/poreseg/models/default/";

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).create();

    private ModelStore() {
    }

    /** Writes the parameters of a block atomically. */
    public static void saveParams(Block block, Path file) throws IOException {
        OutputFiles.writeAtomically(file, tmp -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                block.saveParameters(out);
            }
        });
    }

    /** A deep copy of a model description (through its JSON form). */
    static ModelInfo copyOf(ModelInfo info) throws DataException {
        return readInfo(GSON.toJson(info), "model description");
    }

    public static void saveInfo(ModelInfo info, Path file) throws IOException {
        OutputFiles.writeString(file, GSON.toJson(info) + "\n");
    }

    /** Saves a network into a model directory (created if needed). */
    public static void save(Network net, Path dir) throws IOException {
        Files.createDirectories(dir);
        saveParams(net.block(), dir.resolve(PARAMS));
        saveInfo(net.info(), dir.resolve(INFO));
    }

    /** Loads a model directory, or the bundled model for "default". */
    public static Network load(String model) throws IOException {
        if (DEFAULT.equals(model)) {
            return loadDefault();
        }
        return load(Path.of(model));
    }

    public static Network load(Path dir) throws IOException {
        ModelInfo info = readInfo(dir);
        Path params = dir.resolve(PARAMS);
        if (!Files.isRegularFile(params)) {
            throw new DataException(dir + ": model has no " + PARAMS);
        }
        try (InputStream in = Files.newInputStream(params)) {
            return build(info, in, params.toString());
        }
    }

    /** Reads MODEL_DIR/model.json, with clear messages for folders that are not (finished) models. */
    static ModelInfo readInfo(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir + ": model directory not found");
        }
        Path json = dir.resolve(INFO);
        if (!Files.isRegularFile(json)) {
            if (Files.isRegularFile(dir.resolve("state.json"))) {
                throw new DataException(dir + ": training has not finished (continue it with {resume}; a fold's best checkpoint so far is in "
                        + dir.resolve("fold-0") + ")");
            }
            throw new DataException(dir + ": not a poreseg model directory (no " + INFO + ")");
        }
        return readInfo(Files.readString(json, StandardCharsets.UTF_8), json.toString());
    }

    /** The description of a model directory or of the bundled model ({@code default}). */
    public static ModelInfo info(String model) throws IOException {
        if (DEFAULT.equals(model)) {
            try (InputStream j = ModelStore.class.getResourceAsStream(RESOURCE + INFO)) {
                if (j == null) {
                    throw new DataException("the bundled default model is missing from this build");
                }
                return readInfo(new String(j.readAllBytes(), StandardCharsets.UTF_8), "default model " + INFO);
            }
        }
        return readInfo(Path.of(model));
    }

    /** The parameter stream of a model directory (its best member) or of the bundled model. */
    public static InputStream params(String model) throws IOException {
        if (DEFAULT.equals(model)) {
            InputStream p = ModelStore.class.getResourceAsStream(RESOURCE + PARAMS);
            if (p == null) {
                throw new DataException("default model: " + PARAMS + " missing from this build");
            }
            return p;
        }
        Path params = Path.of(model).resolve(PARAMS);
        if (!Files.isRegularFile(params)) {
            throw new DataException(model + ": model has no " + PARAMS);
        }
        return Files.newInputStream(params);
    }

    /**
     * The networks inference runs for a model: every fold model of a k-fold directory (their mean
     * probability is the prediction), or only fold {@code fold} when not null, or the one network of
     * any other model. Close each.
     */
    public static List<Network> loadMembers(String model, Integer fold) throws IOException {
        List<String> where = memberLocations(model, info(model), fold);
        List<Network> nets = new ArrayList<>();
        try {
            for (String m : where) {
                nets.add(load(m));
            }
        } catch (IOException | RuntimeException e) {
            nets.forEach(Network::close);
            throw e;
        }
        return nets;
    }

    /** The descriptions of the networks {@link #loadMembers} would load, without their weights. */
    public static List<ModelInfo> memberInfos(String model, Integer fold) throws IOException {
        ModelInfo info = info(model);
        List<ModelInfo> out = new ArrayList<>();
        for (String m : memberLocations(model, info, fold)) {
            out.add(m.equals(model) ? info : info(m));
        }
        return out;
    }

    /**
     * Where the members of {@code model} (described by {@code info}) are: its fold directories, only
     * fold {@code fold} when not null, or the model itself (the bundled one, or a model of one network).
     */
    private static List<String> memberLocations(String model, ModelInfo info, Integer fold) {
        List<String> members = info.members == null ? List.of() : info.members;
        if (fold != null) {
            if (members.isEmpty() || fold < 0 || fold >= members.size()) {
                throw new ParameterException(model + ": has no fold " + fold + (members.isEmpty() ? " (not a k-fold model)"
                        : " (folds 0-" + (members.size() - 1) + ")"));
            }
            return List.of(Path.of(model).resolve(members.get(fold)).toString());
        }
        if (DEFAULT.equals(model) || members.size() <= 1) {
            return List.of(model);
        }
        return members.stream().map(m -> Path.of(model).resolve(m).toString()).toList();
    }

    /** The model bundled in the jar. */
    public static Network loadDefault() throws IOException {
        return loadResource(RESOURCE);
    }

    /** Loads a model stored as class-path resources under {@code base} (ending in '/'). */
    static Network loadResource(String base) throws IOException {
        try (InputStream j = ModelStore.class.getResourceAsStream(base + INFO)) {
            if (j == null) {
                throw new DataException("the bundled default model is missing from this build; train one and pass it as {model} MODEL_DIR");
            }
            ModelInfo info = readInfo(new String(j.readAllBytes(), StandardCharsets.UTF_8), "default model " + INFO);
            try (InputStream p = ModelStore.class.getResourceAsStream(base + PARAMS)) {
                if (p == null) {
                    throw new DataException("default model: " + PARAMS + " missing from this build");
                }
                return build(info, p, "default model " + PARAMS);
            }
        }
    }

    public static boolean hasDefault() {
        return ModelStore.class.getResource(RESOURCE + INFO) != null;
    }

    static ModelInfo readInfo(String text, String where) throws DataException {
        ModelInfo info;
        try {
            info = GSON.fromJson(text, ModelInfo.class);
        } catch (JsonParseException e) {
            throw new DataException(where + ": not valid JSON (" + e.getMessage() + ")");
        }
        if (info == null || !ModelInfo.FORMAT.equals(info.format)) {
            throw new DataException(where + ": not a poreseg model description");
        }
        if (info.formatVersion != ModelInfo.FORMAT_VERSION) {
            throw new DataException(where + ": model format version " + info.formatVersion + " is not supported (this poreseg reads version "
                    + ModelInfo.FORMAT_VERSION + "); retrain the model with this version");
        }
        try {
            info.arch();
        } catch (IllegalArgumentException e) {
            throw new DataException(where + ": " + e.getMessage());
        }
        return info;
    }

    /** Loads parameters into an already initialised block. */
    static void loadParams(Block block, NDManager manager, InputStream in, String where) throws IOException {
        try (DataInputStream data = new DataInputStream(new BufferedInputStream(in))) {
            block.loadParameters(manager, data);
        } catch (MalformedModelException | IllegalArgumentException | IllegalStateException e) {
            throw new DataException(where + ": parameters do not match the architecture (" + e.getMessage() + ")");
        } catch (java.io.EOFException e) {
            throw new DataException(where + ": truncated (the file ends before all parameters are read)");
        } catch (IOException e) {
            throw new DataException(where + ": cannot read the parameters (" + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()) + ")");
        }
    }

    private static Network build(ModelInfo info, InputStream params, String where) throws IOException {
        Architecture arch = info.arch();
        NDManager m = NetEngine.newManager();
        try {
            Block b = arch.newInitializedBlock(m, new Shape(1, 1, arch.multiple(), arch.multiple()));
            loadParams(b, m, params, where);
            return new Network(m, b, info);
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
    }
}

package poreseg.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import poreseg.io.OutputFiles;

/**
 * The resumable state of {@link NetTrainer}, MODEL_DIR/state.json, and MODEL_DIR/history.csv;
 * both are written after every epoch.
 */
final class TrainingState {
    int fold;
    int epoch; // epochs completed in this fold
    float lr;
    double best = Double.POSITIVE_INFINITY;
    int wait;
    double bestVal = Double.POSITIVE_INFINITY;
    double bestF1 = Double.NEGATIVE_INFINITY;
    List<ModelInfo.Scores> doneFolds = new ArrayList<>();
    List<NetTrainer.HistoryRow> rows = new ArrayList<>();
    String options;

    static void writeHistory(Path out, List<NetTrainer.HistoryRow> rows) throws IOException {
        StringBuilder sb = new StringBuilder(NetTrainer.HistoryRow.HEADER).append('\n');
        for (NetTrainer.HistoryRow r : rows) {
            sb.append(r.csv()).append('\n');
        }
        OutputFiles.writeString(out.resolve("history.csv"), sb.toString());
    }

    static void write(Path out, TrainingState st) throws IOException {
        OutputFiles.writeString(out.resolve("state.json"), ModelStore.GSON.toJson(st));
    }

    static TrainingState read(Path out) throws IOException {
        Path f = out.resolve("state.json");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        return ModelStore.GSON.fromJson(Files.readString(f), TrainingState.class);
    }
}

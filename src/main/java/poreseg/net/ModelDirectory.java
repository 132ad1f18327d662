package poreseg.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import poreseg.io.OutputFiles;
import poreseg.util.ParameterException;

/**
 * The layout of a model directory as training writes it: {@code model.json} and {@code params.bin}
 * (the finished model), {@code last.bin}, {@code state.json} (what a resumed training continues
 * from), {@code history.csv}, and {@code fold-K/} sub-directories of k-fold training.
 */
public final class ModelDirectory {
    public static final String STATE = "state.json";
    public static final String LAST = "last.bin";
    public static final String HISTORY = "history.csv";
    private static final List<String> TRAINING_FILES = List.of(STATE, ModelStore.INFO, ModelStore.PARAMS, LAST, HISTORY);
    private static final List<String> FOLD_FILES = List.of(ModelStore.INFO, ModelStore.PARAMS, LAST);

    private ModelDirectory() {
    }

    /** True when {@code dir} holds the state of a training that can be resumed. */
    public static boolean resumable(Path dir) {
        return Files.isRegularFile(dir.resolve(STATE));
    }

    /** True when {@code dir} holds a model or a training state. */
    public static boolean used(Path dir) {
        return Files.exists(dir.resolve(STATE)) || Files.exists(dir.resolve(ModelStore.INFO));
    }

    /**
     * Refuses a directory that training must not write: not a directory; nothing to resume when
     * resuming; a model or a training state already there unless {@code force}.
     */
    public static void checkWritable(Path dir, boolean resume, boolean force) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ParameterException(dir + ": exists and is not a directory");
        }
        if (resume) {
            if (!resumable(dir)) {
                throw new ParameterException(dir + ": nothing to resume (no " + STATE + ")");
            }
            return;
        }
        if (used(dir) && !force) {
            throw new ParameterException(dir + ": already holds a model (use {resume} to continue or {force} to replace it)");
        }
    }

    /** Before a new (not resumed) training: deletes the training files of an earlier one, its folds' included. */
    public static void clearForTraining(Path dir, boolean resume) throws IOException {
        if (resume || !used(dir)) {
            return;
        }
        for (String f : TRAINING_FILES) {
            Files.deleteIfExists(dir.resolve(f));
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("fold-")).toList()) {
                for (String f : FOLD_FILES) {
                    Files.deleteIfExists(p.resolve(f));
                }
            }
        }
    }

    /**
     * After a failed or interrupted training: a directory the training created goes, unless
     * (interrupted) it holds a resumable state; a directory that existed keeps what was in it
     * before. Best effort. Returns true when a resumable state was kept.
     */
    public static boolean cleanUp(Path dir, boolean created, boolean interrupted) {
        try {
            if (interrupted && resumable(dir)) {
                return true;
            }
            if (created && Files.isDirectory(dir)) {
                OutputFiles.deleteTree(dir);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the error that caused this is reported
        }
        return false;
    }
}

package poreseg.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import poreseg.util.IOConsumer;
import poreseg.util.ParameterException;

/** Safe output: never over an input, never over an existing file without force, always atomic. */
public final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * Checks that {@code out} may be written: it is not one of the inputs, and it does not exist
     * unless {@code force}. Raises a {@link DataException} (or IllegalArgumentException for usage) otherwise.
     */
    public static void checkWritable(Path out, boolean force, Path... inputs) throws IOException {
        Path abs = out.toAbsolutePath().normalize();
        for (Path in : inputs) {
            if (in == null) {
                continue;
            }
            Path inAbs = in.toAbsolutePath().normalize();
            boolean same = abs.equals(inAbs) || (Files.exists(out) && Files.exists(in) && Files.isSameFile(out, in));
            if (same) {
                throw new ParameterException(out + ": refusing to write over the input file");
            }
            if (Files.isDirectory(in) && abs.startsWith(inAbs)) {
                throw new ParameterException(out + ": refusing to write into the input folder " + in);
            }
        }
        if (Files.exists(out) && !force) {
            throw new ParameterException(out + ": already exists (use {force} to replace it)");
        }
        refuseNonRegular(out);
        Path parent = abs.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new DataException(out + ": output folder " + parent + " does not exist");
        }
    }

    /** Only regular files are replaced: a device, a FIFO or a socket at an output path is refused. */
    private static void refuseNonRegular(Path out) {
        if (Files.exists(out) && !Files.isRegularFile(out) && !Files.isDirectory(out)) {
            throw new DataException(out + ": exists and is not a regular file (a device, FIFO or socket); refusing to replace it");
        }
    }

    /**
     * Two outputs of one command must not share a path (one would silently replace the other).
     *
     * @param outputs option name to path; null paths are skipped
     */
    public static void checkDistinct(Map<String, Path> outputs) {
        Map<Path, String> seen = new HashMap<>();
        for (Map.Entry<String, Path> e : outputs.entrySet()) {
            if (e.getValue() == null || e.getValue().toString().equals("-")) {
                continue;
            }
            Path abs = e.getValue().toAbsolutePath().normalize();
            String other = seen.putIfAbsent(abs, e.getKey());
            if (other != null) {
                throw new ParameterException(other + " and " + e.getKey() + " name the same file " + e.getValue());
            }
        }
    }

    /** Temporary files being written now; deleted by {@link #deletePartial()} when the run is interrupted. */
    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

    /** Output folders of runs still in progress, undone by {@link #deletePartial()}. */
    private static final Set<Rollback> ACTIVE = ConcurrentHashMap.newKeySet();

    /**
     * Remembers what an output folder held before a run, so that a failed or interrupted run can
     * remove what it added: the folder itself when the run created it, else the entries it added.
     * Call {@link #commit()} when the run succeeded, {@link #undo()} when it failed.
     */
    public static final class Rollback {
        private final Path dir;
        private final boolean existed;
        private final Set<Path> before = new java.util.HashSet<>();

        private Rollback(Path dir) throws IOException {
            this.dir = dir.toAbsolutePath().normalize();
            this.existed = Files.isDirectory(this.dir);
            if (existed) {
                try (var s = Files.list(this.dir)) {
                    s.forEach(before::add);
                }
            }
            ACTIVE.add(this);
        }

        public static Rollback of(Path dir) throws IOException {
            return new Rollback(dir);
        }

        /** The run succeeded: keep everything. */
        public void commit() {
            ACTIVE.remove(this);
        }

        /** The run failed: delete what it added. Best effort; never throws. */
        public void undo() {
            ACTIVE.remove(this);
            try {
                if (!existed) {
                    deleteTree(dir);
                } else if (Files.isDirectory(dir)) {
                    try (var s = Files.list(dir)) {
                        for (Path p : s.toList()) {
                            if (!before.contains(p)) {
                                deleteTree(p);
                            }
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // leave what cannot be removed
            }
        }
    }

    /** Deletes a file or a folder with everything in it; symbolic links are removed, not followed. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (var s = Files.list(p)) {
                for (Path c : s.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    /**
     * Deletes the temporary files of writes still in progress and undoes the output folders of runs
     * in progress (from a signal handler or shutdown hook). Returns the number of temporary files deleted.
     */
    public static int deletePartial() {
        for (Rollback r : ACTIVE) {
            r.undo();
        }
        int n = 0;
        for (Path p : IN_PROGRESS) {
            try {
                if (Files.deleteIfExists(p)) {
                    n++;
                }
            } catch (IOException e) {
                // best effort while the JVM goes down
            }
            IN_PROGRESS.remove(p);
        }
        return n;
    }

    /** Writes to a temporary file beside {@code target}, then renames it over {@code target}. */
    public static void writeAtomically(Path target, IOConsumer<Path> writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        refuseNonRegular(abs);
        if (Files.isDirectory(abs)) {
            throw new DataException(target + ": is a folder, not a file");
        }
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".part");
        IN_PROGRESS.add(tmp);
        boolean ok = false;
        try {
            try {
                writer.accept(tmp);
            } catch (IOException e) {
                throw namingTarget(e, tmp, target);
            }
            makeReadable(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            ok = true;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
            IN_PROGRESS.remove(tmp);
        }
    }

    /** A write error names the temporary file; the user knows only the target. */
    private static IOException namingTarget(IOException e, Path tmp, Path target) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fs) {
            String reason = fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName();
            return new IOException(target + ": cannot write (" + reason + ")", e);
        }
        if (m != null && m.contains(tmp.toString())) {
            return new IOException(m.replace(tmp.toString(), target.toString()), e);
        }
        if (m != null && m.contains(tmp.getFileName().toString())) {
            return new IOException(m.replace(tmp.getFileName().toString(), target.getFileName().toString()), e);
        }
        if (m == null || !m.contains(target.toString())) {
            return new IOException(target + ": cannot write (" + (m == null ? e.getClass().getSimpleName() : m) + ")", e);
        }
        return e;
    }

    /** Temporary files are created owner-only (0600); give the result the usual rw-r--r-- permissions. */
    private static void makeReadable(Path p) throws IOException {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): nothing to do
        }
    }

    /** Writes a text file atomically. */
    public static void writeString(Path target, String text) throws IOException {
        writeAtomically(target, tmp -> Files.writeString(tmp, text));
    }

    /**
     * Prepares an output folder: it must be absent or empty unless {@code force}, must not be a file,
     * and must not contain any of the inputs. Creates it.
     */
    public static void prepareFolder(Path out, boolean force, Path... inputs) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ParameterException(out + ": exists and is not a folder");
        }
        if (Files.isDirectory(out) && !force) {
            try (java.util.stream.Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new ParameterException(out + ": folder is not empty (use {force} to write into it)");
                }
            }
        }
        Path abs = out.toAbsolutePath().normalize();
        for (Path in : inputs) {
            if (in != null && in.toAbsolutePath().normalize().startsWith(abs)) {
                throw new ParameterException(out + ": the output folder must not contain the input " + in);
            }
        }
        Files.createDirectories(out);
    }
}

package poreseg.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import poreseg.util.IOConsumer;

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
                throw new UsageException(out + ": refusing to write over the input file");
            }
            if (Files.isDirectory(in) && abs.startsWith(inAbs)) {
                throw new UsageException(out + ": refusing to write into the input folder " + in);
            }
        }
        if (Files.exists(out) && !force) {
            throw new UsageException(out + ": already exists (use --force to replace it)");
        }
        Path parent = abs.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new DataException(out + ": output folder " + parent + " does not exist");
        }
    }

    /** Writes to a temporary file beside {@code target}, then renames it over {@code target}. */
    public static void writeAtomically(Path target, IOConsumer<Path> writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".part");
        boolean ok = false;
        try {
            writer.accept(tmp);
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
        }
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
            throw new UsageException(out + ": exists and is not a folder");
        }
        if (Files.isDirectory(out) && !force) {
            try (java.util.stream.Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new UsageException(out + ": folder is not empty (use --force to write into it)");
                }
            }
        }
        Path abs = out.toAbsolutePath().normalize();
        for (Path in : inputs) {
            if (in != null && in.toAbsolutePath().normalize().startsWith(abs)) {
                throw new UsageException(out + ": the output folder must not contain the input " + in);
            }
        }
        Files.createDirectories(out);
    }
}

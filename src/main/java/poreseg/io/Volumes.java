package poreseg.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Opens stacks: a TIFF (single or multi-page), a PNG/BMP/JPEG image, or a folder of slices. */
public final class Volumes {
    private static final List<String> IMAGE_EXTENSIONS = List.of(".tif", ".tiff", ".png", ".bmp", ".jpg", ".jpeg");

    private Volumes() {
    }

    /** Opens a file or a folder of slices. Bad input raises {@link DataException} naming the path. */
    public static Volume open(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new DataException(path + ": no such file or directory");
        }
        if (Files.isDirectory(path)) {
            return openFolder(path);
        }
        return openFile(path);
    }

    /** Opens one image file, choosing the reader from the file's first bytes, not its name. */
    public static Volume openFile(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new DataException(path + ": no such file");
        }
        if (!Files.isReadable(path)) {
            throw new DataException(path + ": permission denied");
        }
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n == 0) {
            throw new DataException(path + ": empty file");
        }
        return switch (format(head, n)) {
            case "tiff" -> TiffVolume.open(path);
            case "png", "bmp", "jpeg", "gif" -> ImageFileVolume.open(path);
            default -> throw new DataException(path + ": unsupported file type (expected TIFF, PNG, BMP or JPEG)");
        };
    }

    static String format(byte[] h, int n) {
        if (n >= 4 && ((h[0] == 'I' && h[1] == 'I' && (h[2] == 42 || h[2] == 43) && h[3] == 0)
                || (h[0] == 'M' && h[1] == 'M' && h[2] == 0 && (h[3] == 42 || h[3] == 43)))) {
            return "tiff";
        }
        if (n >= 4 && (h[0] & 0xff) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G') {
            return "png";
        }
        if (n >= 2 && h[0] == 'B' && h[1] == 'M') {
            return "bmp";
        }
        if (n >= 3 && (h[0] & 0xff) == 0xFF && (h[1] & 0xff) == 0xD8 && (h[2] & 0xff) == 0xFF) {
            return "jpeg";
        }
        if (n >= 3 && h[0] == 'G' && h[1] == 'I' && h[2] == 'F') {
            return "gif";
        }
        return "unknown";
    }

    /** The image files of a folder in natural order (slice2 before slice10); hidden files skipped. */
    public static List<Path> listSlices(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> hasImageExtension(p.getFileName().toString()))
                    .forEach(files::add);
        }
        files.sort((a, b) -> NaturalOrder.INSTANCE.compare(a.getFileName().toString(), b.getFileName().toString()));
        return files;
    }

    private static boolean hasImageExtension(String name) {
        String l = name.toLowerCase(Locale.ROOT);
        return IMAGE_EXTENSIONS.stream().anyMatch(l::endsWith);
    }

    private static Volume openFolder(Path dir) throws IOException {
        List<Path> files = listSlices(dir);
        if (files.isEmpty()) {
            throw new DataException(dir + ": directory holds no images (.tif, .tiff, .png, .bmp, .jpg)");
        }
        if (files.size() == 1) {
            return openFile(files.get(0));
        }
        return new FolderVolume(dir, files);
    }

    /** Reads a whole (small) volume into memory. */
    public static ArrayVolume load(Volume v) throws IOException {
        List<float[]> slices = new ArrayList<>(v.info().depth());
        for (int z = 0; z < v.info().depth(); z++) {
            slices.add(v.slice(z));
        }
        return new ArrayVolume(v.info(), slices, v.source());
    }

    /** Opens and reads a whole (small) volume into memory. */
    public static ArrayVolume load(Path path) throws IOException {
        try (Volume v = open(path)) {
            return load(v);
        }
    }
}

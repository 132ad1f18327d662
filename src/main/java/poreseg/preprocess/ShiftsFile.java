package poreseg.preprocess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import poreseg.io.DataException;
import poreseg.preprocess.SliceAligner.Shift;

/** Reads and writes alignment shifts as CSV: a header {@code slice,dx,dy}, then one line per slice. */
public final class ShiftsFile {
    private ShiftsFile() {
    }

    public static String toCsv(Shift[] shifts) {
        StringBuilder s = new StringBuilder("slice,dx,dy\n");
        for (int z = 0; z < shifts.length; z++) {
            s.append(z).append(',').append(String.format(Locale.ROOT, "%.4f", shifts[z].dx())).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", shifts[z].dy())).append('\n');
        }
        return s.toString();
    }

    /** Reads a CSV written by {@link #toCsv}; slices must be 0..n-1 in order. */
    public static Shift[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": no such file");
        }
        List<String> lines = Files.readAllLines(file);
        List<Shift> out = new ArrayList<>();
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#") || (lineNo == 1 && line.toLowerCase(Locale.ROOT).startsWith("slice"))) {
                continue;
            }
            String[] f = line.split("[,;\\t]");
            if (f.length != 3) {
                throw new DataException(file + ":" + lineNo + ": expected 'slice,dx,dy', got '" + line + "'");
            }
            try {
                int z = Integer.parseInt(f[0].trim());
                if (z != out.size()) {
                    throw new DataException(file + ":" + lineNo + ": expected slice " + out.size() + ", got " + z);
                }
                double dx = Double.parseDouble(f[1].trim());
                double dy = Double.parseDouble(f[2].trim());
                if (!Double.isFinite(dx) || !Double.isFinite(dy)) {
                    throw new NumberFormatException("not finite");
                }
                out.add(new Shift(dx, dy));
            } catch (NumberFormatException e) {
                throw new DataException(file + ":" + lineNo + ": not numbers: '" + line + "'");
            }
        }
        if (out.isEmpty()) {
            throw new DataException(file + ": no shifts in file");
        }
        return out.toArray(new Shift[0]);
    }
}

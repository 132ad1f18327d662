import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Volume;
import poreseg.io.Volumes;

/**
 * Cuts a labelled real slice into square training tiles in the folder layout `poreseg train --images
 * DIR --masks DIR` reads (OUT/images/NAME-K.tif, OUT/masks/NAME-K.tif, equal names), so that real
 * slices of any size can be mixed with 256 x 256 synthetic slices. Run by scripts/build-default-model.sh:
 *
 *   java -cp target/poreseg.jar scripts/RealTiles.java OUT NAME IMAGE MASK RULE ROI|- TILE GRID ROTATE
 *
 * RULE says which mask values are pore: ge:V, gt:V, eq:V or le:V (e.g. ge:170). ROI (or -): a mask
 * whose non-zero pixels are scored; outside it the tile's mask is 128 (unlabelled, `--unlabelled 128`).
 * GRID: GRID x GRID tile origins evenly spaced over the slice. ROTATE 1 adds the 90, 180 and 270 degree
 * rotations of each tile (for top-view images that have no milling direction). Images are written as
 * 16-bit: an 8-bit source is stored x 257, as `poreseg synth` stores its 8-bit-quantised stacks.
 */
public final class RealTiles {
    public static void main(String[] a) throws Exception {
        if (a.length != 9) {
            throw new IllegalArgumentException("usage: OUT NAME IMAGE MASK RULE ROI|- TILE GRID ROTATE");
        }
        Path out = Path.of(a[0]);
        String name = a[1];
        String[] rule = a[4].split(":");
        double v = Double.parseDouble(rule[1]);
        int tile = Integer.parseInt(a[6]);
        int grid = Integer.parseInt(a[7]);
        boolean rotate = a[8].equals("1");
        float[] img;
        float[] msk;
        float[] roi = null;
        int w;
        int h;
        double scale;
        try (Volume iv = Volumes.open(Path.of(a[2])); Volume mv = Volumes.open(Path.of(a[3]))) {
            w = iv.info().width();
            h = iv.info().height();
            if (mv.info().width() != w || mv.info().height() != h) {
                throw new IllegalArgumentException(a[3] + ": mask size differs from the image");
            }
            img = iv.slice(0);
            msk = mv.slice(0);
            scale = iv.info().type() == PixelType.U8 ? 257 : 1;
        }
        if (!a[5].equals("-")) {
            try (Volume rv = Volumes.open(Path.of(a[5]))) {
                roi = rv.slice(0);
            }
        }
        Files.createDirectories(out.resolve("images"));
        Files.createDirectories(out.resolve("masks"));
        int k = 0;
        long pore = 0;
        long labelled = 0;
        for (int gy = 0; gy < grid; gy++) {
            for (int gx = 0; gx < grid; gx++) {
                int x0 = grid == 1 ? (w - tile) / 2 : (int) Math.round((double) gx * (w - tile) / (grid - 1));
                int y0 = grid == 1 ? (h - tile) / 2 : (int) Math.round((double) gy * (h - tile) / (grid - 1));
                float[] ti = new float[tile * tile];
                float[] tm = new float[tile * tile];
                int scored = 0;
                for (int y = 0; y < tile; y++) {
                    for (int x = 0; x < tile; x++) {
                        int s = (y0 + y) * w + x0 + x;
                        ti[y * tile + x] = (float) Math.min(65535, Math.rint(img[s] * scale));
                        boolean in = roi == null || roi[s] != 0;
                        boolean p = pore(rule[0], msk[s], v);
                        tm[y * tile + x] = in ? (p ? 255 : 0) : 128;
                        if (in) {
                            scored++;
                            labelled++;
                            pore += p ? 1 : 0;
                        }
                    }
                }
                if (scored < tile * tile / 4) {
                    continue; // mostly outside the sample: little to learn from
                }
                for (int r = 0; r < (rotate ? 4 : 1); r++) {
                    String f = String.format("%s-%03d.tif", name, k++);
                    write(out.resolve("images").resolve(f), rotated(ti, tile, r), PixelType.U16);
                    write(out.resolve("masks").resolve(f), rotated(tm, tile, r), PixelType.U8);
                }
            }
        }
        System.out.printf("%s: %d tiles of %dx%d from %s, pore fraction %.4f of labelled pixels%n",
                name, k, tile, tile, a[2], labelled == 0 ? 0.0 : (double) pore / labelled);
    }

    private static boolean pore(String op, float m, double v) {
        return switch (op) {
            case "ge" -> m >= v;
            case "gt" -> m > v;
            case "eq" -> m == v;
            case "le" -> m <= v;
            default -> throw new IllegalArgumentException("rule must be ge, gt, eq or le: " + op);
        };
    }

    /** The tile turned r quarter turns counter-clockwise. */
    private static float[] rotated(float[] t, int n, int r) {
        float[] s = t;
        for (int i = 0; i < r; i++) {
            float[] d = new float[n * n];
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    d[(n - 1 - x) * n + y] = s[y * n + x];
                }
            }
            s = d;
        }
        return s;
    }

    private static void write(Path f, float[] data, PixelType type) throws Exception {
        int n = (int) Math.round(Math.sqrt(data.length));
        StackInfo info = new StackInfo(n, n, 1, type, Calibration.NONE);
        TiffWriter.write(f, new ArrayVolume(info, List.of(data), f.getFileName().toString()));
    }
}

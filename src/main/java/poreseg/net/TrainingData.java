package poreseg.net;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import poreseg.io.DataException;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.util.ParameterException;
import poreseg.util.ProgressListener;

/**
 * Image slices (preprocessed and scaled to 0..1) with their pore labels (1 = pore, 0 = solid,
 * {@link MaskEncoding#UNLABELLED} = no label), all of one size, held in memory for training and
 * validation.
 */
public final class TrainingData {
    private final int width;
    private final int height;
    private final List<float[]> images;
    private final List<float[]> masks;
    private final String source;
    /** Slices of the stack these were read from, unlabelled ones included (at least {@link #size()}). */
    private final int stackSlices;

    public TrainingData(int width, int height, List<float[]> images, List<float[]> masks, String source) {
        this(width, height, images, masks, source, images.size());
    }

    private TrainingData(int width, int height, List<float[]> images, List<float[]> masks, String source, int stackSlices) {
        if (images.size() != masks.size()) {
            throw new ParameterException(images.size() + " images but " + masks.size() + " masks");
        }
        this.width = width;
        this.height = height;
        this.images = List.copyOf(images);
        this.masks = List.copyOf(masks);
        this.source = source;
        this.stackSlices = Math.max(stackSlices, images.size());
    }

    /** Reads an image stack and its dense two-valued mask stack; sizes must match. */
    public static TrainingData load(Volume image, Volume mask, Preprocessing pre, Float poreValue, ProgressListener progress)
            throws IOException {
        return load(image, mask, pre, poreValue, null, progress);
    }

    /**
     * Reads an image stack and its mask stack; sizes must match. Mask pixels equal to
     * {@code unlabelled} (may be null) carry no label. Only the slices with at least one labelled
     * pixel are held ({@link #stackSlices()} counts all): a user's few labelled slices of a stack
     * larger than memory need memory for those slices alone.
     */
    public static TrainingData load(Volume image, Volume mask, Preprocessing pre, Float poreValue, Float unlabelled,
            ProgressListener progress) throws IOException {
        StackInfo a = image.info();
        StackInfo b = mask.info();
        if (!a.sameShape(b)) {
            throw new DataException(mask.source() + ": mask size " + b.shape() + " differs from image size " + a.shape()
                    + " (" + image.source() + ")" + (a.width() == b.width() && a.height() == b.height() && b.depth() < a.depth()
                    ? "; labels of a few slices go into a mask of the whole stack, the other slices all unlabelled (--unlabelled 128)" : ""));
        }
        MaskEncoding enc = MaskEncoding.detect(mask, poreValue, unlabelled);
        List<float[]> imgs = new ArrayList<>();
        List<float[]> msks = new ArrayList<>();
        long sliceBytes = poreseg.io.Memory.product(a.width(), a.height(), 8);
        for (int z = 0; z < a.depth(); z++) {
            float[] m = enc.binarize(mask.slice(z));
            if (unlabelled == null || MaskEncoding.LabelCounts.of(m).labelled() > 0) {
                poreseg.io.Memory.require(sliceBytes, "holding labelled slice " + (z + 1) + " of " + a.depth() + " (" + imgs.size()
                        + " held so far) of the " + a.shape() + " training stack and its labels");
                float[] raw = image.slice(z);
                requireFinite(raw, image.source(), z, a.depth());
                imgs.add(pre.networkInput(raw, a.width(), a.height(), a.type()));
                msks.add(m);
            }
            progress.progress(z + 1, a.depth());
        }
        return new TrainingData(a.width(), a.height(), imgs, msks, image.source(), a.depth());
    }

    /** Refuses a slice with NaN or infinite values, naming it (1-based). */
    public static void requireFinite(float[] slice, String source, int z, int depth) throws DataException {
        long[] c = poreseg.io.NonFinite.count(slice);
        long n = c[0] + c[1] + c[2];
        if (n > 0) {
            throw new DataException(source + ": slice " + (z + 1) + " of " + depth + " has " + n + " non-finite values (" + c[0] + " NaN, " + c[1]
                    + " +Inf, " + c[2] + " -Inf); replace them first (e.g. preprocess with a {nanValue})");
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int size() {
        return images.size();
    }

    public float[] image(int i) {
        return images.get(i);
    }

    public float[] mask(int i) {
        return masks.get(i);
    }

    public String source() {
        return source;
    }

    /** Slices of the stack these were read from, those without any label included. */
    public int stackSlices() {
        return stackSlices;
    }

    /** The slices with indices in [from, to). */
    public TrainingData range(int from, int to) {
        return new TrainingData(width, height, images.subList(from, to), masks.subList(from, to), source + "[" + from + ":" + to + "]");
    }

    /** All slices except those in [from, to). */
    public TrainingData without(int from, int to) {
        List<float[]> i = new ArrayList<>(images.subList(0, from));
        i.addAll(images.subList(to, images.size()));
        List<float[]> m = new ArrayList<>(masks.subList(0, from));
        m.addAll(masks.subList(to, masks.size()));
        return new TrainingData(width, height, i, m, source + " without [" + from + ":" + to + "]");
    }

    /** The slices that have at least one labelled pixel. */
    public TrainingData labelledSlices() {
        List<float[]> i = new ArrayList<>();
        List<float[]> m = new ArrayList<>();
        for (int s = 0; s < size(); s++) {
            if (MaskEncoding.LabelCounts.of(masks.get(s)).labelled() > 0) {
                i.add(images.get(s));
                m.add(masks.get(s));
            }
        }
        return i.size() == size() ? this : new TrainingData(width, height, i, m, source + " (labelled slices)", stackSlices);
    }

    /**
     * The same slices with labels kept only inside (or, with {@code inside} false, only outside) the
     * rows [y0, y1): a spatial train/validation split for stacks with too few slices to split.
     */
    public TrainingData rows(int y0, int y1, boolean inside) {
        List<float[]> m = new ArrayList<>(size());
        for (float[] src : masks) {
            float[] d = src.clone();
            if (inside) {
                Arrays.fill(d, 0, y0 * width, MaskEncoding.UNLABELLED);
                Arrays.fill(d, y1 * width, d.length, MaskEncoding.UNLABELLED);
            } else {
                Arrays.fill(d, y0 * width, y1 * width, MaskEncoding.UNLABELLED);
            }
            m.add(d);
        }
        return new TrainingData(width, height, images, m, source + (inside ? " rows " : " without rows ") + "[" + y0 + ":" + y1 + "]");
    }

    /**
     * The same slices with labels kept only in (or, with {@code inside} false, only outside) the
     * horizontal stripes of rows whose index {@code s = y * stripes / height} satisfies
     * {@code s % k == f}: an interleaved spatial split, so that every part of a slice (top, bottom,
     * a shading gradient) is in both the training and the validation labels.
     */
    public TrainingData stripes(int stripes, int k, int f, boolean inside) {
        List<float[]> m = new ArrayList<>(size());
        for (float[] src : masks) {
            float[] d = src.clone();
            for (int y = 0; y < height; y++) {
                boolean val = (int) ((long) y * stripes / height) % k == f;
                if (val != inside) {
                    Arrays.fill(d, y * width, (y + 1) * width, MaskEncoding.UNLABELLED);
                }
            }
            m.add(d);
        }
        return new TrainingData(width, height, images, m, source + (inside ? " stripes " : " without stripes ") + f + " mod " + k + " of " + stripes);
    }

    /** Number of labelled pixels and of pore pixels among them, over all slices. */
    public MaskEncoding.LabelCounts labelCounts() {
        MaskEncoding.LabelCounts c = new MaskEncoding.LabelCounts(0, 0);
        for (float[] m : masks) {
            c = c.plus(MaskEncoding.LabelCounts.of(m));
        }
        return c;
    }

    /** Fraction of labelled pixels. */
    public double labelledFraction() {
        long total = (long) width * height * size();
        return total == 0 ? 0 : (double) labelCounts().labelled() / total;
    }

    /** Fraction of pore pixels among the labelled pixels. */
    public double poreFraction() {
        MaskEncoding.LabelCounts c = labelCounts();
        return c.labelled() == 0 ? 0 : c.poreFraction();
    }
}

package poreseg.net;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import poreseg.io.DataException;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.util.ProgressListener;

/**
 * Image slices (preprocessed and scaled to 0..1) with their binary pore masks (1 = pore), all of one
 * size, held in memory for training and validation.
 */
public final class TrainingData {
    private final int width;
    private final int height;
    private final List<float[]> images;
    private final List<float[]> masks;
    private final String source;

    public TrainingData(int width, int height, List<float[]> images, List<float[]> masks, String source) {
        if (images.size() != masks.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + masks.size() + " masks");
        }
        this.width = width;
        this.height = height;
        this.images = List.copyOf(images);
        this.masks = List.copyOf(masks);
        this.source = source;
    }

    /** Reads an image stack and its mask stack; sizes must match. */
    public static TrainingData load(Volume image, Volume mask, Preprocessing pre, Float poreValue, ProgressListener progress)
            throws IOException {
        StackInfo a = image.info();
        StackInfo b = mask.info();
        if (!a.sameShape(b)) {
            throw new DataException(mask.source() + ": mask size " + b.shape() + " differs from image size " + a.shape()
                    + " (" + image.source() + ")");
        }
        MaskEncoding enc = MaskEncoding.detect(mask, poreValue);
        List<float[]> imgs = new ArrayList<>(a.depth());
        List<float[]> msks = new ArrayList<>(a.depth());
        for (int z = 0; z < a.depth(); z++) {
            imgs.add(pre.networkInput(image.slice(z), a.width(), a.height(), a.type()));
            msks.add(enc.binarize(mask.slice(z)));
            progress.progress(z + 1, a.depth());
        }
        return new TrainingData(a.width(), a.height(), imgs, msks, image.source());
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

    /** Fraction of pore pixels. */
    public double poreFraction() {
        long n = 0;
        long p = 0;
        for (float[] m : masks) {
            for (float v : m) {
                p += v > 0.5f ? 1 : 0;
            }
            n += m.length;
        }
        return n == 0 ? 0 : (double) p / n;
    }
}

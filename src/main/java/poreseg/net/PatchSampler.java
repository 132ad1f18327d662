package poreseg.net;

import java.util.SplittableRandom;
import poreseg.util.ParameterException;

/**
 * Cuts random square patches from training slices into a batch buffer (NCHW, 1 channel), with optional
 * augmentation: geometric transforms ({@link Geometry}) and an intensity jitter (gain 0.9..1.1, offset
 * -0.05..0.05, and a linear shading gradient of up to +-0.05 at the patch edges along x and y)
 * applied to the image only.
 */
public final class PatchSampler {
    /**
     * Geometric augmentation. FIB-SEM images are not isotropic: curtaining runs down the milling
     * direction, shine-through and streaks fall below pores (the SEM looks at the face from above),
     * and the scan amplifier smears to the right. Rotating or flipping a patch vertically shows the
     * network orientations it never meets at inference and hides these cues.
     */
    public enum Geometry {
        /** All 8 flips and 90-degree rotations (isotropic data: TEM, micro-CT). */
        ALL,
        /** Left-right mirror only. */
        MIRROR,
        /** No geometric transform (default: keeps every FIB-SEM orientation cue). */
        NONE;

        public static Geometry parse(String s) {
            for (Geometry g : values()) {
                if (g.name().equalsIgnoreCase(s)) {
                    return g;
                }
            }
            throw new ParameterException("geometric augmentation must be all, mirror or none, got '" + s + "'");
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final int MAX_TRIES = 16;
    private final TrainingData data;
    private final int patch;
    private final boolean augment;
    private final Geometry geometry;
    private final SplittableRandom random;

    public PatchSampler(TrainingData data, int patch, boolean augment, Geometry geometry, long seed) {
        if (patch > data.width() || patch > data.height()) {
            throw new ParameterException("patch size " + patch + " is larger than the training images ("
                    + data.width() + "x" + data.height() + "); use a smaller {patch}");
        }
        this.data = data;
        this.patch = patch;
        this.augment = augment;
        this.geometry = geometry;
        this.random = new SplittableRandom(seed);
    }

    /** Fills {@code images} and {@code masks} (each n*patch*patch) with n random patches. */
    public void fill(float[] images, float[] masks, int n) {
        int pp = patch * patch;
        int w = data.width();
        for (int k = 0; k < n; k++) {
            int s = random.nextInt(data.size());
            int ox = random.nextInt(data.width() - patch + 1);
            int oy = random.nextInt(data.height() - patch + 1);
            // sparse labels: draw again (a few times) where the patch holds no labelled pixel
            for (int tries = 0; tries < MAX_TRIES && !labelled(data.mask(s), ox, oy); tries++) {
                s = random.nextInt(data.size());
                ox = random.nextInt(data.width() - patch + 1);
                oy = random.nextInt(data.height() - patch + 1);
            }
            float[] img = data.image(s);
            float[] msk = data.mask(s);
            int t = !augment ? 0 : switch (geometry) {
                case ALL -> random.nextInt(8);
                case MIRROR -> random.nextInt(2);
                case NONE -> 0;
            };
            boolean transpose = (t & 4) != 0;
            boolean flipX = (t & 1) != 0;
            boolean flipY = (t & 2) != 0;
            float gain = augment ? (float) (0.9 + 0.2 * random.nextDouble()) : 1f;
            float offset = augment ? (float) (-0.05 + 0.1 * random.nextDouble()) : 0f;
            // a shading gradient (FIB-SEM slices darken or brighten across the field: charging,
            // detector geometry): up to +-0.05 at the patch edges in x and in y
            float gx = augment ? (float) (-0.1 + 0.2 * random.nextDouble()) / Math.max(1, patch - 1) : 0f;
            float gy = augment ? (float) (-0.1 + 0.2 * random.nextDouble()) / Math.max(1, patch - 1) : 0f;
            float g0 = -(gx + gy) * (patch - 1) / 2f;
            int base = k * pp;
            for (int r = 0; r < patch; r++) {
                for (int c = 0; c < patch; c++) {
                    int a = transpose ? c : r;
                    int b = transpose ? r : c;
                    if (flipY) {
                        a = patch - 1 - a;
                    }
                    if (flipX) {
                        b = patch - 1 - b;
                    }
                    int src = (oy + a) * w + ox + b;
                    images[base + r * patch + c] = img[src] * gain + offset + g0 + gx * c + gy * r;
                    masks[base + r * patch + c] = msk[src];
                }
            }
        }
    }

    private boolean labelled(float[] mask, int ox, int oy) {
        int w = data.width();
        for (int r = 0; r < patch; r++) {
            int row = (oy + r) * w + ox;
            for (int c = 0; c < patch; c++) {
                if (mask[row + c] >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    public int patch() {
        return patch;
    }
}

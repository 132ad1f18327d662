package poreseg.synth;

import java.util.Random;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.Volume;

/**
 * A cubic 0/255 pore mask of overlapping random balls, held as one byte per voxel: the benchmark
 * volume of {@code poreseg bench measure} (a 512^3 volume takes 128 MiB).
 */
public final class SyntheticPores implements Volume {
    private final StackInfo info;
    private final byte[][] slices;

    /**
     * @param size     edge length in voxels
     * @param porosity target pore fraction (approximate)
     * @param seed     random seed
     */
    public SyntheticPores(int size, double porosity, long seed) {
        info = new StackInfo(size, size, size, PixelType.U8, Calibration.NONE);
        slices = new byte[size][size * size];
        Random rnd = new Random(seed);
        double meanVolume = 0;
        for (int r = 2; r <= 10; r++) {
            meanVolume += 4.0 / 3 * Math.PI * r * r * r / 9;
        }
        // Boolean model: porosity = 1 - exp(-n * mean ball volume / V)
        long n = Math.round(-Math.log(1 - porosity) * (double) size * size * size / meanVolume);
        for (long k = 0; k < n; k++) {
            int r = 2 + rnd.nextInt(9);
            double cx = rnd.nextDouble() * size;
            double cy = rnd.nextDouble() * size;
            double cz = rnd.nextDouble() * size;
            for (int z = Math.max(0, (int) (cz - r)); z <= Math.min(size - 1, (int) (cz + r)); z++) {
                double r2z = r * r - (z - cz) * (z - cz);
                if (r2z < 0) {
                    continue;
                }
                byte[] s = slices[z];
                for (int y = Math.max(0, (int) (cy - r)); y <= Math.min(size - 1, (int) (cy + r)); y++) {
                    double r2 = r2z - (y - cy) * (y - cy);
                    if (r2 < 0) {
                        continue;
                    }
                    double hw = Math.sqrt(r2);
                    int x0 = Math.max(0, (int) Math.ceil(cx - hw));
                    int x1 = Math.min(size - 1, (int) Math.floor(cx + hw));
                    for (int x = x0; x <= x1; x++) {
                        s[y * size + x] = 1;
                    }
                }
            }
        }
    }

    @Override
    public StackInfo info() {
        return info;
    }

    @Override
    public String source() {
        return "synthetic pores " + info.shape();
    }

    @Override
    public float[] slice(int z) {
        byte[] b = slices[z];
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = b[i] != 0 ? 255f : 0f;
        }
        return f;
    }
}

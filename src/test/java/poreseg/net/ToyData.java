package poreseg.net;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A trivially learnable task: dark discs (pores, mask 1) on a bright noisy background, 0..1. */
final class ToyData {
    private ToyData() {
    }

    static TrainingData make(int size, int slices, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<float[]> imgs = new ArrayList<>();
        List<float[]> masks = new ArrayList<>();
        for (int z = 0; z < slices; z++) {
            float[] img = new float[size * size];
            float[] m = new float[size * size];
            int discs = 3 + r.nextInt(4);
            double[][] d = new double[discs][3];
            for (double[] c : d) {
                c[0] = r.nextDouble() * size;
                c[1] = r.nextDouble() * size;
                c[2] = 3 + r.nextDouble() * 6;
            }
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean pore = false;
                    for (double[] c : d) {
                        double dx = x - c[0];
                        double dy = y - c[1];
                        pore |= dx * dx + dy * dy <= c[2] * c[2];
                    }
                    m[y * size + x] = pore ? 1 : 0;
                    img[y * size + x] = (float) ((pore ? 0.25 : 0.7) + 0.08 * r.nextGaussian());
                }
            }
            imgs.add(img);
            masks.add(m);
        }
        return new TrainingData(size, size, imgs, masks, "toy");
    }
}

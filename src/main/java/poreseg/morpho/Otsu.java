package poreseg.morpho;

/**
 * Otsu's threshold on a histogram, for {@link ParticleRoi} (a small private copy: the threshold
 * package lives on another branch).
 */
final class Otsu {
    private Otsu() {
    }

    /** Index of the last bin of the lower class that maximises the between-class variance. */
    static int threshold(long[] hist) {
        double total = 0;
        double sum = 0;
        for (int i = 0; i < hist.length; i++) {
            total += hist[i];
            sum += (double) i * hist[i];
        }
        double w0 = 0;
        double sum0 = 0;
        double best = -1;
        int bestIdx = 0;
        for (int i = 0; i < hist.length - 1; i++) {
            w0 += hist[i];
            sum0 += (double) i * hist[i];
            double w1 = total - w0;
            if (w0 == 0 || w1 == 0) {
                continue;
            }
            double m0 = sum0 / w0;
            double m1 = (sum - sum0) / w1;
            double between = w0 * w1 * (m0 - m1) * (m0 - m1);
            if (between > best) {
                best = between;
                bestIdx = i;
            }
        }
        return bestIdx;
    }
}

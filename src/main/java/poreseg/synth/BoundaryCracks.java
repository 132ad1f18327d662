package poreseg.synth;

/**
 * Cracks, a pore family of {@link PoreGeometry}: the grain-boundary network where a large-scale
 * noise exceeds a threshold (set by the crack density), opened to {@code crackWidth} at most.
 * Immutable.
 */
final class BoundaryCracks {
    /** Length scale of the noise that decides which boundaries are cracked (nm): cracks span many grains. */
    static final double CRACK_SCALE = 700;

    private final boolean present;
    private final double crackWidth;
    private final Noise3 crackNoise;
    private final double crackThreshold;

    BoundaryCracks(long seed, Appearance a) {
        this.present = a.cracks();
        this.crackWidth = a.crackWidth();
        this.crackNoise = new Noise3(Hash.mix(seed, 5));
        this.crackThreshold = 0.35 - 0.6 * a.crackDensity();
    }

    boolean present() {
        return present;
    }

    /** The crack field (nm; 1e9 where absent) at a point g12 nm from the nearest grain boundary; sets {@code p.fc}. */
    double field(double x, double y, double z, double g12, PoreGeometry.Probe p) {
        double fc = 1e9;
        if (present && g12 < crackWidth) {
            double on = crackNoise.fbm(x / CRACK_SCALE, y / CRACK_SCALE, z / CRACK_SCALE, 2);
            double mc = Math.min(1, Math.max(0, on - crackThreshold) / (1 - crackThreshold));
            fc = g12 - crackWidth * mc;
        }
        p.fc = fc;
        return fc;
    }
}

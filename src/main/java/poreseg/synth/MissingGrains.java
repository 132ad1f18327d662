package poreseg.synth;

/**
 * Voids: grains that are missing, a pore family of {@link PoreGeometry}. A grain is missing when its
 * hash falls below {@code voidGrains} (plus, in particle mode, {@code openPores} decaying over one
 * grain width below the outline: open pores at the surface); the void is the missing grains' cells,
 * so its walls are the neighbouring grains' faces. Immutable.
 */
final class MissingGrains {
    private final double voidGrains;
    private final double openPores;
    private final double grainWidth;
    private final long voidSeed;

    MissingGrains(long seed, boolean particleMode, Appearance a) {
        this.voidGrains = a.voidGrains();
        this.openPores = particleMode ? a.openPores() : 0;
        this.grainWidth = a.grainWidth();
        this.voidSeed = Hash.mix(seed, 0x701D);
    }

    /** Whether this family can occur at all. */
    boolean present() {
        return voidGrains > 0 || openPores > 0;
    }

    /**
     * The void field (nm, roughly a signed distance; 1e9 where absent) at a point whose nearest grains
     * are the cells i1, i2, i3 (boundary distances g12, g13); sets {@code p.fv} and {@code p.open}
     * (the void comes from the open-pore term only).
     */
    double field(int i1, int i2, int i3, double g12, double g13, PoreGeometry.Probe p) {
        double q = voidGrains;
        double qOpen = 0;
        if (openPores > 0) {
            qOpen = openPores * Math.exp(Math.min(0, p.outsideBy) / grainWidth);
        }
        double fv = 1e9;
        boolean open = false;
        if (q > 0 || qOpen > 0) {
            double u1 = grainUnit(i1);
            boolean m1 = u1 < q + qOpen;
            boolean m2 = i2 >= 0 && grainUnit(i2) < q + qOpen;
            boolean m3 = i3 >= 0 && grainUnit(i3) < q + qOpen;
            if (m1) {
                fv = !m2 ? -g12 : !m3 ? -g13 : -Math.max(g13, 3);
                open = u1 >= q;
            } else {
                fv = m2 ? g12 : m3 ? g13 : 1e9;
            }
        }
        p.fv = fv;
        p.open = open;
        return fv;
    }

    private double grainUnit(int cell) {
        return Hash.unit(Hash.mix(voidSeed, cell));
    }
}

package poreseg.synth;

import java.io.IOException;
import java.util.SplittableRandom;
import poreseg.util.Parallel;
import poreseg.util.ProgressListener;

/**
 * Measures {@link TruthStats} from the implicit pore field on a lattice of its own (not the voxel
 * centres): porosity and volume by counting lattice points, surface area by the co-area formula with
 * central-difference gradients, pore count by streaming 26-connected union-find over lattice planes.
 * Planes are evaluated in parallel and consumed in order.
 */
final class TruthMeasure {
    private static final double EPS = 2.0; // nm, half-width of the co-area shell
    private static final double H = 0.25; // nm, finite-difference step

    private TruthMeasure() {
    }

    private record Plane(byte[] state, double areaSum, double areaSq, long shell) {
    }

    static TruthStats measure(PoreGeometry geo, SliceRenderer r, SynthParams params, double intraFraction,
            ProgressListener progress) throws IOException {
        double[] v = params.voxelNm();
        // lattice z spacing: the slice spacing, subdivided where slices are much coarser than pixels,
        // and for thin stacks (at least 64 lattice planes, up to 8 per slice) where porosity can vary
        // strongly within one slice spacing
        int sub = Math.max(1, (int) Math.floor(v[2] / Math.max(v[0], v[1]) / 1.5));
        sub = Math.max(sub, Math.min(8, (int) Math.ceil(64.0 / params.slices())));
        double hx = v[0];
        double hy = v[1];
        double hz = v[2] / sub;
        SplittableRandom rnd = new SplittableRandom(Hash.mix(params.seed(), 0x57A7));
        double ox = rnd.nextDouble();
        double oy = rnd.nextDouble();
        double oz = rnd.nextDouble();
        int n = params.size();
        int planes = params.slices() * sub;
        double cell = hx * hy * hz;
        Lattice lattice = new Lattice(n, hx, hy, hz, ox, oy, oz, params.slices(), v[2]);
        Tally tally = new Tally(n);
        Parallel.forEachOrdered(planes, k -> lattice.plane(geo, r, k), tally::add, progress);

        double nm = SynthParams.nanometresPerUnit(params.voxel().unit());
        long[] counts = tally.counts;
        double[] area = tally.area;
        double porosity = counts[1] == 0 ? 0 : (double) counts[0] / counts[1];
        double unit3 = nm * nm * nm;
        double poreVolume = counts[0] * cell / unit3;
        double regionVolume = counts[1] * cell / unit3;
        double surface = area[0] * cell / (2 * EPS) / (nm * nm);
        // standard error, treating shell points as independent
        double m = tally.shell;
        double err = 0;
        if (m > 1) {
            double mean = area[0] / m;
            double var = Math.max(0, area[1] / m - mean * mean);
            err = Math.sqrt(m * (var + mean * mean)) * cell / (2 * EPS) / (nm * nm);
        }
        return new TruthStats(porosity, poreVolume, regionVolume, surface, err, tally.closed + tally.uf.roots(), intraFraction,
                geo.scale(), counts[1] + 0L, new double[] {hx / nm, hy / nm, hz / nm}, params.voxel().unit());
    }

    /** The measuring lattice: n x n points per plane at spacing hx, hy (offset ox, oy), planes hz apart (offset oz). */
    private record Lattice(int n, double hx, double hy, double hz, double ox, double oy, double oz, int slices, double sliceNm) {
        /** Plane k: each point's state (0 outside, 1 solid, 2 pore) and the co-area sums of its shell points. */
        Plane plane(PoreGeometry geo, SliceRenderer r, int k) {
            double z = (k + oz) * hz;
            int slice = Math.min(slices - 1, (int) Math.floor(z / sliceNm));
            double[] d = r.drift(slice);
            PoreGeometry.Probe p = new PoreGeometry.Probe();
            byte[] st = new byte[n * n];
            double a = 0;
            double a2 = 0;
            long sh = 0;
            for (int j = 0; j < n; j++) {
                double y = (j + oy) * hy + d[1];
                for (int i = 0; i < n; i++) {
                    double x = (i + ox) * hx + d[0];
                    geo.eval(x, y, z, p, false);
                    if (!p.inside) {
                        continue;
                    }
                    st[j * n + i] = (byte) (p.f < 0 ? 2 : 1);
                    if (Math.abs(p.f) < EPS) {
                        geo.eval(x, y, z, p, true);
                        double f0 = p.f;
                        if (Math.abs(f0) < EPS) {
                            double gx = diff(geo, p, x + H, y, z, x - H, y, z);
                            double gy = diff(geo, p, x, y + H, z, x, y - H, z);
                            double gz = diff(geo, p, x, y, z + H, x, y, z - H);
                            double g = Math.sqrt(gx * gx + gy * gy + gz * gz);
                            a += g;
                            a2 += g * g;
                            sh++;
                        }
                    }
                }
            }
            return new Plane(st, a, a2, sh);
        }
    }

    /** The sums over the planes, consumed in order: point counts, co-area sums and the 26-connected pore components. */
    private static final class Tally {
        final long[] counts = new long[2]; // pore, inside
        final double[] area = new double[2];
        long shell;
        long closed;
        final UnionFind uf = new UnionFind();
        private final int n;
        private final int[][] labels;
        private int cur;

        Tally(int n) {
            this.n = n;
            this.labels = new int[][] {new int[n * n], new int[n * n]};
        }

        void add(Plane pl) {
            byte[] st = pl.state;
            int[] prev = labels[cur];
            int[] now = labels[1 - cur];
            cur = 1 - cur;
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    int o = j * n + i;
                    byte s = st[o];
                    if (s != 0) {
                        counts[1]++;
                    }
                    if (s != 2) {
                        now[o] = 0;
                        continue;
                    }
                    counts[0]++;
                    now[o] = label(prev, now, i, j);
                }
            }
            closed += uf.compact(now, n * n);
            area[0] += pl.areaSum;
            area[1] += pl.areaSq;
            shell += pl.shell;
        }

        /** The label of pore point (i, j): joined with its labelled neighbours, previous plane 3x3, this plane (i-1, j), (i-1..i+1, j-1). */
        private int label(int[] prev, int[] now, int i, int j) {
            int lab = 0;
            for (int dj = -1; dj <= 1; dj++) {
                int jj = j + dj;
                if (jj < 0 || jj >= n) {
                    continue;
                }
                for (int di = -1; di <= 1; di++) {
                    int ii = i + di;
                    if (ii < 0 || ii >= n) {
                        continue;
                    }
                    int q = jj * n + ii;
                    lab = join(uf, lab, prev[q]);
                    if (dj < 0 || (dj == 0 && di < 0)) {
                        lab = join(uf, lab, now[q]);
                    }
                }
            }
            if (lab == 0) {
                lab = uf.make();
            }
            return lab;
        }
    }

    private static int join(UnionFind uf, int lab, int other) {
        if (other == 0) {
            return lab;
        }
        if (lab == 0) {
            return uf.find(other);
        }
        return uf.union(lab, other);
    }

    private static double diff(PoreGeometry geo, PoreGeometry.Probe p, double x1, double y1, double z1,
            double x2, double y2, double z2) {
        geo.eval(x1, y1, z1, p, true);
        double a = p.f;
        geo.eval(x2, y2, z2, p, true);
        double b = p.f;
        if (Double.isInfinite(a) || Double.isInfinite(b)) {
            return 0;
        }
        return (a - b) / (2 * H);
    }

    /** Union-find over provisional labels 1..n with path halving; counts distinct roots. */
    /** Union-find over labels 1..size (0 = background) that drops finished components plane by plane. */
    static final class UnionFind extends poreseg.core.UnionFind {
        private int n;

        UnionFind() {
            super(1024);
            grow(1);
        }

        @Override
        public int size() {
            return n;
        }

        int make() {
            n++;
            grow(n + 1);
            return n;
        }

        /**
         * After a plane: components without a voxel in {@code labels} (the plane just labelled) can
         * never grow again, so they are counted and dropped; the labels still in use are renumbered
         * 1..m by root. Keeps memory proportional to one plane. Returns the number of closed components.
         */
        long compact(int[] labels, int len) {
            int[] map = new int[n + 1];
            int m = 0;
            for (int i = 0; i < len; i++) {
                int l = labels[i];
                if (l != 0) {
                    int r = find(l);
                    if (map[r] == 0) {
                        map[r] = ++m;
                    }
                    labels[i] = map[r];
                }
            }
            long closedRoots = roots() - m;
            n = m;
            reset(m + 1);
            return closedRoots;
        }

        long roots() {
            long c = 0;
            for (int i = 1; i <= n; i++) {
                if (isRoot(i)) {
                    c++;
                }
            }
            return c;
        }
    }
}

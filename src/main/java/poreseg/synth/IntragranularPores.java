package poreseg.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Intragranular pores: randomly placed and oriented rough ellipsoids (radius log-normal around 22 nm,
 * 9-70 nm, aspect up to 1.8) filling a given volume fraction of a box, bucketed on a 200 nm grid for
 * fast lookup. Their field (q - 1 - 0.3 r) rEq, with q the ellipsoid norm and r the wall roughness,
 * is negative inside a pore and continuous everywhere. Immutable and thread-safe.
 */
final class IntragranularPores {
    private final Noise3 roughNoise;
    private final double[] pores; // per pore: cx, cy, cz, m00..m22 (diag(1/s) R^T), rEq, rBound (14 values)
    private final int poreCount;
    private final double bucket;
    private final double bx0;
    private final double by0;
    private final double bz0;
    private final int bnx;
    private final int bny;
    private final int bnz;
    private final int[] bucketStart;
    private int[] bucketItems;

    /**
     * Places pores of total volume {@code fraction} x box volume in box {xmin, ymin, zmin, xmax, ymax, zmax} (nm),
     * radius log-normal around {@code median} nm (22 in the fixed model), clipped to 9/22..70/22 of it.
     */
    IntragranularPores(long seed, double[] box, double fraction, double median, Noise3 roughNoise) {
        this.roughNoise = roughNoise;
        double boxVolume = (box[3] - box[0]) * (box[4] - box[1]) * (box[5] - box[2]);
        double target = fraction * boxVolume;
        List<double[]> list = new ArrayList<>();
        SplittableRandom pr = new SplittableRandom(Hash.mix(seed, 0x1A7A));
        double vol = 0;
        while (vol < target) {
            double r = Math.exp(Math.log(median) + 0.5 * pr.nextGaussian());
            r = Math.max(median * 9 / 22, Math.min(median * 70 / 22, r));
            double a1 = 1 + 0.8 * pr.nextDouble();
            double a2 = 1 + 0.5 * pr.nextDouble();
            double sa = r * a1;
            double sb = r;
            double sc = r / a2;
            double[] rot = randomRotation(pr);
            double[] p = new double[14];
            p[0] = box[0] + pr.nextDouble() * (box[3] - box[0]);
            p[1] = box[1] + pr.nextDouble() * (box[4] - box[1]);
            p[2] = box[2] + pr.nextDouble() * (box[5] - box[2]);
            double[] inv = {1 / sa, 1 / sb, 1 / sc};
            for (int row = 0; row < 3; row++) {
                for (int col = 0; col < 3; col++) {
                    p[3 + 3 * row + col] = inv[row] * rot[3 * col + row]; // diag(1/s) * R^T
                }
            }
            p[12] = Math.cbrt(sa * sb * sc);
            p[13] = 2 * sa + 2; // on this sphere F >= (2 - 1 - 0.3) rEq, well above the co-area shell
            list.add(p);
            vol += 4.0 / 3 * Math.PI * sa * sb * sc;
        }
        poreCount = list.size();
        pores = new double[poreCount * 14];
        for (int i = 0; i < poreCount; i++) {
            System.arraycopy(list.get(i), 0, pores, 14 * i, 14);
        }
        bucket = 200;
        bx0 = box[0];
        by0 = box[1];
        bz0 = box[2];
        bnx = Math.max(1, (int) Math.ceil((box[3] - box[0]) / bucket));
        bny = Math.max(1, (int) Math.ceil((box[4] - box[1]) / bucket));
        bnz = Math.max(1, (int) Math.ceil((box[5] - box[2]) / bucket));
        int nb = bnx * bny * bnz;
        // bucket the pores by their bounding spheres: count, prefix sums, fill (no per-entry objects)
        int[] start = new int[nb + 1];
        for (int pass = 0; pass < 2; pass++) {
            int[] fill = pass == 0 ? null : new int[nb];
            int[] items = pass == 0 ? null : new int[start[nb]];
            for (int i = 0; i < poreCount; i++) {
                double rb = pores[14 * i + 13];
                int x0 = clampB((pores[14 * i] - rb - bx0) / bucket, bnx);
                int x1 = clampB((pores[14 * i] + rb - bx0) / bucket, bnx);
                int y0 = clampB((pores[14 * i + 1] - rb - by0) / bucket, bny);
                int y1 = clampB((pores[14 * i + 1] + rb - by0) / bucket, bny);
                int z0 = clampB((pores[14 * i + 2] - rb - bz0) / bucket, bnz);
                int z1 = clampB((pores[14 * i + 2] + rb - bz0) / bucket, bnz);
                for (int zz = z0; zz <= z1; zz++) {
                    for (int yy = y0; yy <= y1; yy++) {
                        for (int xx = x0; xx <= x1; xx++) {
                            int b = (zz * bny + yy) * bnx + xx;
                            if (pass == 0) {
                                start[b + 1]++;
                            } else {
                                items[start[b] + fill[b]++] = i;
                            }
                        }
                    }
                }
            }
            if (pass == 0) {
                for (int b = 0; b < nb; b++) {
                    start[b + 1] += start[b];
                }
            } else {
                bucketItems = items;
            }
        }
        bucketStart = start;
    }

    int count() {
        return poreCount;
    }

    private static int clampB(double v, int n) {
        return Math.max(0, Math.min(n - 1, (int) Math.floor(v)));
    }

    /** Signed distance-like field of the pores (nm), continuous; 1e9 far from all of them. */
    double field(double x, double y, double z) {
        int bx = (int) Math.floor((x - bx0) / bucket);
        int by = (int) Math.floor((y - by0) / bucket);
        int bz = (int) Math.floor((z - bz0) / bucket);
        if (bx < 0 || by < 0 || bz < 0 || bx >= bnx || by >= bny || bz >= bnz) {
            return 1e9;
        }
        int b = (bz * bny + by) * bnx + bx;
        double best = 1e9;
        for (int q = bucketStart[b]; q < bucketStart[b + 1]; q++) {
            int o = 14 * bucketItems[q];
            double ex = x - pores[o];
            double ey = y - pores[o + 1];
            double ez = z - pores[o + 2];
            double rb = pores[o + 13];
            double d2 = ex * ex + ey * ey + ez * ez;
            if (d2 > rb * rb) {
                // continuous with the exact value's lower bound on the sphere (no jump near F = 0)
                double approx = Math.sqrt(d2) - rb + 0.7 * pores[o + 12];
                if (approx < best) {
                    best = approx;
                }
                continue;
            }
            double a = pores[o + 3] * ex + pores[o + 4] * ey + pores[o + 5] * ez;
            double bb = pores[o + 6] * ex + pores[o + 7] * ey + pores[o + 8] * ez;
            double cc = pores[o + 9] * ex + pores[o + 10] * ey + pores[o + 11] * ez;
            double qn = Math.sqrt(a * a + bb * bb + cc * cc);
            double f = (qn - 1 - 0.3 * PoreGeometry.rough(roughNoise, x, y, z)) * pores[o + 12];
            if (f < best) {
                best = f;
            }
        }
        return best;
    }

    /** Uniform random rotation matrix (row-major) from a random unit quaternion. */
    private static double[] randomRotation(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = 2 * Math.PI * r.nextDouble();
        double u3 = 2 * Math.PI * r.nextDouble();
        double a = Math.sqrt(1 - u1);
        double b = Math.sqrt(u1);
        double qw = a * Math.sin(u2);
        double qx = a * Math.cos(u2);
        double qy = b * Math.sin(u3);
        double qz = b * Math.cos(u3);
        return new double[] {
            1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qz * qw), 2 * (qx * qz + qy * qw),
            2 * (qx * qy + qz * qw), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - qx * qw),
            2 * (qx * qz - qy * qw), 2 * (qy * qz + qx * qw), 1 - 2 * (qx * qx + qy * qy)};
    }
}

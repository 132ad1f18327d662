package poreseg.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import poreseg.io.Calibration;
import poreseg.io.Volume;
import poreseg.morpho.MarchingCubesTable;
import poreseg.morpho.TriangleNormal;
import poreseg.util.Parallel;
import poreseg.util.ParameterException;
import poreseg.util.ProgressListener;

/**
 * Perspective views of the pore surface (the marching-cubes mesh of the pore mask), drawn with a
 * plain z-buffer and Lambert shading in Java2D, for reports (the paper's Fig. 7a). The mask is
 * streamed slice by slice; volumes larger than about 384 voxels along an axis are sub-sampled
 * (every k-th voxel along each axis) so that rendering stays fast. The z axis (slices) points up.
 */
public final class SurfaceRenderer {
    private static final double FOV = Math.toRadians(30);
    private static final int[] PORE_RGB = {214, 120, 52};

    private SurfaceRenderer() {
    }

    /**
     * One view of the pores of a 0/255 mask (nonzero = pore).
     *
     * @param size      image width and height in pixels
     * @param azimuth   camera angle around the z axis, degrees (0 = looking from +x)
     * @param elevation camera angle above the xy plane, degrees
     */
    public static BufferedImage render(Volume mask, Calibration c, int size, double azimuth, double elevation)
            throws IOException {
        return render(mask, null, c, Double.NaN, size, new double[][] {{azimuth, elevation}}, ProgressListener.NONE)[0];
    }

    /**
     * Several views at once (the mask is read once).
     *
     * @param poreValue value of pore voxels, or NaN for "any nonzero value"
     * @param views     {azimuth, elevation} pairs in degrees
     */
    public static BufferedImage[] render(Volume mask, Volume roi, Calibration c, double poreValue, int size, double[][] views,
            ProgressListener progress) throws IOException {
        if (size < 16 || size > 8192) {
            throw new ParameterException("render size must be 16..8192 pixels, got " + size);
        }
        int w = mask.info().width();
        int h = mask.info().height();
        int d = mask.info().depth();
        int step = Math.max(1, (int) Math.ceil(Math.max(w, Math.max(h, d)) / 384.0));
        int sw = (w + step - 1) / step;
        int sh = (h + step - 1) / step;
        int sd = (d + step - 1) / step;
        Calibration sc = new Calibration(c.x() * step, c.y() * step, c.z() * step, c.unit());
        double[] lo = {0, 0, 0};
        double[] hi = {(sw - 1) * sc.x(), (sh - 1) * sc.y(), (sd - 1) * sc.z()};
        View[] v = new View[views.length];
        for (int i = 0; i < views.length; i++) {
            v[i] = new View(size, views[i][0], views[i][1], lo, hi);
        }
        // window of four slices: the cubes between the middle two, gradients need one more each side
        byte[][] win = new byte[4][];
        int[] z = {0};
        float pv = (float) poreValue;
        boolean anyNonZero = Double.isNaN(poreValue);
        Parallel.forEachOrdered(sd, k -> {
            float[] m = mask.slice(k * step);
            float[] r = roi == null ? null : roi.slice(k * step);
            byte[] b = new byte[sw * sh];
            for (int y = 0; y < sh; y++) {
                for (int x = 0; x < sw; x++) {
                    int i = y * step * w + x * step;
                    boolean pore = anyNonZero ? m[i] != 0 : m[i] == pv;
                    if (pore && (r == null || r[i] != 0)) {
                        b[y * sw + x] = 1;
                    }
                }
            }
            return b;
        }, cur -> {
            win[0] = win[1];
            win[1] = win[2];
            win[2] = win[3];
            win[3] = cur;
            // slice z[0] just arrived: the cubes between z[0] - 2 and z[0] - 1 are complete
            if (win[2] != null && win[1] != null) {
                triangles(win[0], win[1], win[2], win[3], sw, sh, z[0] - 2, sc, v);
            }
            z[0]++;
        }, progress);
        if (win[3] != null && win[2] != null) {
            triangles(win[1], win[2], win[3], null, sw, sh, z[0] - 2, sc, v);
        }
        BufferedImage[] out = new BufferedImage[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i].image();
        }
        return out;
    }

    /** Three views side by side (azimuth 30, 150, 270 degrees, elevation 25) with a caption. */
    public static BufferedImage threeViews(Volume mask, Volume roi, Calibration c, double poreValue, int size,
            ProgressListener progress) throws IOException {
        double[][] views = {{30, 25}, {150, 25}, {270, 25}};
        BufferedImage[] im = render(mask, roi, c, poreValue, size, views, progress);
        int caption = Math.max(18, size / 20);
        BufferedImage all = new BufferedImage(3 * size, size + caption, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        for (int i = 0; i < 3; i++) {
            g.drawImage(im[i], i * size, 0, null);
        }
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(11, caption * 2 / 3)));
        StringBuilder s = new StringBuilder();
        String name = mask.source().replaceAll(".*[/\\\\]", "");
        s.append(String.format(Locale.ROOT, "pore surface of %s, %dx%dx%d voxels of %s", name,
                mask.info().width(), mask.info().height(), mask.info().depth(), c));
        for (double[] vw : views) {
            s.append(String.format(Locale.ROOT, "; az %.0f\u00b0", vw[0]));
        }
        g.drawString(s.toString(), 6, size + caption * 3 / 4);
        g.dispose();
        return all;
    }

    /**
     * Triangles of the cubes between slices z ({@code a}) and z + 1 ({@code b}); {@code below} and
     * {@code above} (z - 1, z + 2, null at the ends) give the mask gradient for smooth vertex normals.
     */
    private static void triangles(byte[] below, byte[] a, byte[] b, byte[] above, int w, int h, int z, Calibration c,
            View[] views) {
        byte[][] sl = {below == null ? a : below, a, b, above == null ? b : above};
        double[] p = new double[9];
        double[] n = new double[9];
        double[][] g = new double[8][3];
        MarchingCubesTable.<RuntimeException>forEachSurfaceCube(a, b, w, h, (x, y, config) -> {
            for (int k = 0; k < 8; k++) {
                gradient(sl, w, h, x + (k & 1), y + (k >> 1 & 1), 1 + (k >> 2), c, g[k]);
            }
            int[] t = MarchingCubesTable.trianglesView(config);
            for (int k = 0; k < t.length; k += 9) {
                for (int j = 0; j < 3; j++) {
                    double fx = t[k + 3 * j] * 0.5;
                    double fy = t[k + 3 * j + 1] * 0.5;
                    double fz = t[k + 3 * j + 2] * 0.5;
                    p[3 * j] = (x + fx) * c.x();
                    p[3 * j + 1] = (y + fy) * c.y();
                    p[3 * j + 2] = (z + fz) * c.z();
                    double gx = 0;
                    double gy = 0;
                    double gz = 0;
                    for (int q = 0; q < 8; q++) {
                        double wq = ((q & 1) == 1 ? fx : 1 - fx) * ((q >> 1 & 1) == 1 ? fy : 1 - fy)
                                * ((q >> 2) == 1 ? fz : 1 - fz);
                        gx += wq * g[q][0];
                        gy += wq * g[q][1];
                        gz += wq * g[q][2];
                    }
                    n[3 * j] = -gx;
                    n[3 * j + 1] = -gy;
                    n[3 * j + 2] = -gz;
                }
                for (View v : views) {
                    v.draw(p, n);
                }
            }
        });
    }

    /** Central-difference gradient (per unit length) of the 0/1 mask at voxel (x, y) of window slice s. */
    private static void gradient(byte[][] sl, int w, int h, int x, int y, int s, Calibration c, double[] out) {
        int i = y * w + x;
        byte[] m = sl[s];
        int xl = x > 0 ? i - 1 : i;
        int xr = x < w - 1 ? i + 1 : i;
        int yl = y > 0 ? i - w : i;
        int yr = y < h - 1 ? i + w : i;
        out[0] = (m[xr] - m[xl]) / (2 * c.x());
        out[1] = (m[yr] - m[yl]) / (2 * c.y());
        out[2] = (sl[s + 1][i] - sl[s - 1][i]) / (2 * c.z());
    }

    /** A perspective camera with its depth and shade buffers. */
    private static final class View {
        final int size;
        final double[] eye = new double[3];
        final double[] right = new double[3];
        final double[] up = new double[3];
        final double[] fwd = new double[3];
        final double focal;
        final float[] depth;
        final float[] shade;
        final double[] lo;
        final double[] hi;
        double nearest = Double.POSITIVE_INFINITY;
        double farthest = 0;

        View(int size, double azimuth, double elevation, double[] lo, double[] hi) {
            this.size = size;
            this.lo = lo;
            this.hi = hi;
            double[] centre = new double[3];
            double r = 0;
            for (int k = 0; k < 3; k++) {
                centre[k] = (lo[k] + hi[k]) / 2;
                r += (hi[k] - lo[k]) * (hi[k] - lo[k]) / 4;
            }
            r = Math.max(Math.sqrt(r), 1e-9);
            double dist = r / Math.sin(FOV / 2) * 1.02;
            double az = Math.toRadians(azimuth);
            double el = Math.toRadians(Math.max(-89, Math.min(89, elevation)));
            double[] dir = {Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)};
            for (int k = 0; k < 3; k++) {
                eye[k] = centre[k] + dist * dir[k];
                fwd[k] = -dir[k];
            }
            double[] zUp = {0, 0, 1};
            cross(fwd, zUp, right);
            normalize(right);
            cross(right, fwd, up);
            focal = size / 2.0 / Math.tan(FOV / 2);
            depth = new float[size * size];
            shade = new float[size * size];
            Arrays.fill(depth, Float.POSITIVE_INFINITY);
        }

        void draw(double[] p, double[] vn) {
            double[] sx = new double[3];
            double[] sy = new double[3];
            double[] sz = new double[3];
            for (int j = 0; j < 3; j++) {
                double qx = p[3 * j] - eye[0];
                double qy = p[3 * j + 1] - eye[1];
                double qz = p[3 * j + 2] - eye[2];
                double cz = qx * fwd[0] + qy * fwd[1] + qz * fwd[2];
                if (cz <= 1e-9) {
                    return;
                }
                sx[j] = size / 2.0 + focal * (qx * right[0] + qy * right[1] + qz * right[2]) / cz;
                sy[j] = size / 2.0 - focal * (qx * up[0] + qy * up[1] + qz * up[2]) / cz;
                sz[j] = cz;
            }
            double[] n = TriangleNormal.of(p);
            if (n == null) {
                return;
            }
            // smooth shading: light each vertex with its interpolated gradient normal (the face
            // normal where the gradient vanishes), interpolate across the triangle
            float[] vs = new float[3];
            for (int j = 0; j < 3; j++) {
                double ax = vn[3 * j];
                double ay = vn[3 * j + 1];
                double az = vn[3 * j + 2];
                double al = Math.sqrt(ax * ax + ay * ay + az * az);
                vs[j] = al > 1e-12 ? light(ax / al, ay / al, az / al) : light(n[0], n[1], n[2]);
            }
            float s = (vs[0] + vs[1] + vs[2]) / 3;
            int x0 = Math.max(0, (int) Math.floor(Math.min(sx[0], Math.min(sx[1], sx[2]))));
            int x1 = Math.min(size - 1, (int) Math.ceil(Math.max(sx[0], Math.max(sx[1], sx[2]))));
            int y0 = Math.max(0, (int) Math.floor(Math.min(sy[0], Math.min(sy[1], sy[2]))));
            int y1 = Math.min(size - 1, (int) Math.ceil(Math.max(sy[0], Math.max(sy[1], sy[2]))));
            if (x0 > x1 || y0 > y1) {
                return;
            }
            double area = (sx[1] - sx[0]) * (sy[2] - sy[0]) - (sx[2] - sx[0]) * (sy[1] - sy[0]);
            if (Math.abs(area) < 1e-12) {
                // degenerate on screen: plot the centre pixel
                plot((int) ((sx[0] + sx[1] + sx[2]) / 3), (int) ((sy[0] + sy[1] + sy[2]) / 3), (sz[0] + sz[1] + sz[2]) / 3, s);
                return;
            }
            boolean any = false;
            for (int y = y0; y <= y1; y++) {
                double py = y + 0.5;
                for (int x = x0; x <= x1; x++) {
                    double px = x + 0.5;
                    double w0 = ((sx[1] - px) * (sy[2] - py) - (sx[2] - px) * (sy[1] - py)) / area;
                    double w1 = ((sx[2] - px) * (sy[0] - py) - (sx[0] - px) * (sy[2] - py)) / area;
                    double w2 = 1 - w0 - w1;
                    if (w0 < -1e-9 || w1 < -1e-9 || w2 < -1e-9) {
                        continue;
                    }
                    any = true;
                    plot(x, y, w0 * sz[0] + w1 * sz[1] + w2 * sz[2], (float) (w0 * vs[0] + w1 * vs[1] + w2 * vs[2]));
                }
            }
            if (!any) {
                // smaller than a pixel: keep it visible
                plot((int) ((sx[0] + sx[1] + sx[2]) / 3), (int) ((sy[0] + sy[1] + sy[2]) / 3), (sz[0] + sz[1] + sz[2]) / 3, s);
            }
        }

        /** Headlight plus a key light from the upper left, two-sided, for a unit normal. */
        private float light(double nx, double ny, double nz) {
            double head = Math.abs(nx * fwd[0] + ny * fwd[1] + nz * fwd[2]);
            double kx = -right[0] + up[0] - fwd[0];
            double ky = -right[1] + up[1] - fwd[1];
            double kz = -right[2] + up[2] - fwd[2];
            double kl = Math.sqrt(kx * kx + ky * ky + kz * kz);
            double key = Math.abs(nx * kx + ny * ky + nz * kz) / kl;
            return (float) Math.min(1, 0.18 + 0.5 * head + 0.4 * key);
        }

        private void plot(int x, int y, double z, float s) {
            if (x < 0 || y < 0 || x >= size || y >= size) {
                return;
            }
            int i = y * size + x;
            if (z < depth[i]) {
                depth[i] = (float) z;
                shade[i] = s;
                nearest = Math.min(nearest, z);
                farthest = Math.max(farthest, z);
            }
        }

        BufferedImage image() {
            BufferedImage im = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            int[] px = new int[size * size];
            double span = Math.max(farthest - nearest, 1e-12);
            for (int i = 0; i < px.length; i++) {
                if (depth[i] == Float.POSITIVE_INFINITY) {
                    px[i] = 0xFFFFFF;
                    continue;
                }
                double fog = 1 - 0.35 * (depth[i] - nearest) / span;
                double s = shade[i] * fog;
                int r = (int) Math.min(255, PORE_RGB[0] * s + 20);
                int g = (int) Math.min(255, PORE_RGB[1] * s + 20);
                int b = (int) Math.min(255, PORE_RGB[2] * s + 20);
                px[i] = r << 16 | g << 8 | b;
            }
            im.setRGB(0, 0, size, size, px, 0, size);
            Graphics2D g = im.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(90, 90, 90, 160));
            g.setStroke(new BasicStroke(1f));
            double[][] corner = new double[8][];
            for (int k = 0; k < 8; k++) {
                double[] q = {(k & 1) == 0 ? lo[0] : hi[0], (k & 2) == 0 ? lo[1] : hi[1], (k & 4) == 0 ? lo[2] : hi[2]};
                corner[k] = project(q);
            }
            for (int a = 0; a < 8; a++) {
                for (int bit = 1; bit < 8; bit <<= 1) {
                    int b = a | bit;
                    if (b != a && corner[a] != null && corner[b] != null) {
                        g.drawLine((int) corner[a][0], (int) corner[a][1], (int) corner[b][0], (int) corner[b][1]);
                    }
                }
            }
            g.dispose();
            return im;
        }

        private double[] project(double[] q) {
            double qx = q[0] - eye[0];
            double qy = q[1] - eye[1];
            double qz = q[2] - eye[2];
            double cz = qx * fwd[0] + qy * fwd[1] + qz * fwd[2];
            if (cz <= 1e-9) {
                return null;
            }
            return new double[] {size / 2.0 + focal * (qx * right[0] + qy * right[1] + qz * right[2]) / cz,
                size / 2.0 - focal * (qx * up[0] + qy * up[1] + qz * up[2]) / cz};
        }

        private static void cross(double[] a, double[] b, double[] out) {
            out[0] = a[1] * b[2] - a[2] * b[1];
            out[1] = a[2] * b[0] - a[0] * b[2];
            out[2] = a[0] * b[1] - a[1] * b[0];
        }

        private static void normalize(double[] a) {
            double n = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
            if (n > 0) {
                a[0] /= n;
                a[1] /= n;
                a[2] /= n;
            }
        }
    }
}

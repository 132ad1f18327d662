package poreseg.report;

import java.util.Locale;

/** "Nice" tick positions of a {@link Plot} axis: steps of 1, 2, 2.5 or 5 times a power of ten. */
record PlotTicks(double start, double step, int count) {
    static PlotTicks of(double lo, double hi, int target) {
        double span = hi - lo;
        double raw = span / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double f : new double[] {1, 2, 2.5, 5, 10}) {
            if (f * mag >= raw) {
                step = f * mag;
                break;
            }
        }
        double start = Math.floor(lo / step + 1e-9) * step;
        int count = (int) Math.floor((Math.ceil(hi / step - 1e-9) * step - start) / step + 0.5) + 1;
        return new PlotTicks(start, step, count);
    }

    double[] values() {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = start + i * step;
            if (Math.abs(v[i]) < step * 1e-9) {
                v[i] = 0;
            }
        }
        return v;
    }

    double first() {
        return start;
    }

    double last() {
        return start + (count - 1) * step;
    }

    String label(double v) {
        double a = Math.abs(step);
        if (a >= 1e5 || a < 1e-4) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(a) - 1e-9));
        if (Math.abs(step * Math.pow(10, decimals) - Math.rint(step * Math.pow(10, decimals))) > 1e-6) {
            decimals++; // 2.5 x 10^k needs one more digit
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}

package poreseg.metrics;

/**
 * Mean, sample standard deviation, minimum and maximum of some values (e.g. the porosity of each
 * slice, or of each cross-validation fold). NaN values are ignored; with no values all are NaN,
 * with one value the standard deviation is 0.
 */
public record Spread(double mean, double sd, double min, double max, int n) {

    public static Spread of(double... values) {
        int n = 0;
        double mean = 0;
        double m2 = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isNaN(v)) {
                continue;
            }
            n++;
            double d = v - mean;
            mean += d / n;
            m2 += d * (v - mean);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (n == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        return new Spread(mean, n > 1 ? Math.sqrt(m2 / (n - 1)) : 0, min, max, n);
    }
}

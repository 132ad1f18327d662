package poreseg.cli;

import java.util.Locale;
import poreseg.util.Format;

/** Range checks for numeric options: a usage error (exit 2) naming the option and its allowed range. */
final class Bounds {
    private Bounds() {
    }

    static int check(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new UsageException(option + " must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    static double check(String option, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new UsageException(String.format(Locale.ROOT, "%s must be in %s..%s, got %s", option, fmt(min), fmt(max), fmt(value)));
        }
        return value;
    }

    private static String fmt(double v) {
        return Format.exact(v);
    }
}

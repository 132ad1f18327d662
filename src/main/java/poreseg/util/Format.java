package poreseg.util;

import java.util.Locale;

/** Number formatting for messages, specs and tables: whole numbers plainly, others exactly or to 6 digits. */
public final class Format {
    private Format() {
    }

    /** Shortest text that parses back to the same double: "3" for whole numbers (below 1e15), else Double.toString ("1.5"). */
    public static String exact(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** "3" for whole numbers (below 1e15), else 6 significant digits ("0.123457"). */
    public static String sig6(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }

    /** 3 significant digits without exponent or trailing zeros ("2000", "0.5", "12.3"). */
    public static String sig3(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** {@link #sig6}, and "n/a" for NaN. */
    public static String sig6OrNa(double v) {
        return Double.isNaN(v) ? "n/a" : sig6(v);
    }
}

package poreseg.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Number formatting shared by the report: readable, locale-independent, never "NaN" in JSON. */
final class Numbers {
    private Numbers() {
    }

    /**
     * Four significant digits (or {@code decimals} after the point when >= 0), plain for
     * 1e-3 <= |v| < 1e6, else scientific like "1.234e9".
     */
    static String format(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "n/a" : v > 0 ? "inf" : "-inf";
        }
        if (decimals >= 0) {
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e6) {
            return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        }
        String s = String.format(Locale.ROOT, "%.3e", v); // 1.234e+09
        int e = s.indexOf('e');
        String mant = s.substring(0, e).replaceAll("\\.?0+$", "");
        int exp = Integer.parseInt(s.substring(e + 1));
        return mant + "e" + exp;
    }

    /** {@code digits} significant digits, trailing zeros kept ("0.3950"), for headline numbers; as {@link #format} outside 1e-3 .. 1e6. */
    static String significant(double v, int digits) {
        double a = Math.abs(v);
        if (!Double.isFinite(v) || v == 0 || a < 1e-3 || a >= 1e6) {
            return format(v, -1);
        }
        return new BigDecimal(v).round(new MathContext(digits)).toPlainString();
    }

    /** Non-finite doubles become null (JSON has no NaN); everything else is kept. */
    static Object jsonValue(Object v) {
        if (v instanceof Double d && !Double.isFinite(d)) {
            return null;
        }
        if (v instanceof Float f && !Float.isFinite(f)) {
            return null;
        }
        return v;
    }
}

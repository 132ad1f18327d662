package poreseg.report;

import poreseg.util.ParameterException;

/**
 * A headline number of a report: a value with its unit, optionally its spread (e.g. the standard
 * deviation across slices or folds) and a short detail line. Shown as a card at the top of the HTML
 * report and stored under {@code headline} in report.json.
 *
 * @param key      stable identifier for JSON (snake_case), e.g. "porosity_cnn"
 * @param label    what it is, for people, e.g. "Porosity (CNN, equalize)"
 * @param value    the number, in {@code unit}
 * @param unit     e.g. "%", "um^3", "" for none
 * @param spread   the spread in the same unit, or NaN for none
 * @param spreadOf what the spread is, e.g. "sd across 120 slices"
 * @param detail   one more line of context, or ""
 * @param decimals digits after the point in the HTML, or -1 for four significant digits
 */
public record Quantity(String key, String label, double value, String unit, double spread, String spreadOf, String detail,
        int decimals) {

    public Quantity {
        if (key == null || key.isBlank()) {
            throw new ParameterException("a quantity needs a key");
        }
        label = label == null ? key : label;
        unit = unit == null ? "" : unit;
        spreadOf = spreadOf == null ? "" : spreadOf;
        detail = detail == null ? "" : detail;
    }

    public static Quantity of(String key, String label, double value, String unit) {
        return new Quantity(key, label, value, unit, Double.NaN, "", "", -1);
    }

    public Quantity withSpread(double sd, String what) {
        return new Quantity(key, label, value, unit, sd, what, detail, decimals);
    }

    public Quantity withDetail(String text) {
        return new Quantity(key, label, value, unit, spread, spreadOf, text, decimals);
    }

    public Quantity withDecimals(int n) {
        return new Quantity(key, label, value, unit, spread, spreadOf, detail, n);
    }
}

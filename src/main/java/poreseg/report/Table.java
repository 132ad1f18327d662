package poreseg.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import poreseg.util.ParameterException;

/**
 * A table of a report: a caption, column names and rows of cells (numbers, strings or null). In the
 * HTML, numbers are formatted (four significant digits unless a column has its own format) and
 * right-aligned; in report.json they keep full precision. Example:
 *
 * <pre>{@code
 * Table t = new Table("results", "Porosity, pore volume and surface area", "segmentation", "porosity (%)", "pore volume (um^3)")
 *         .format("porosity (%)", "%.2f")
 *         .row("ground truth", 23.41, 0.392)
 *         .row("CNN, equalize", 23.02, 0.385);
 * }</pre>
 */
public final class Table {
    private final String key;
    private final String caption;
    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();
    private final Map<String, String> formats = new HashMap<>();
    private final List<Integer> emphasised = new ArrayList<>();

    /**
     * @param key     stable identifier for JSON, e.g. "results"
     * @param caption the caption shown above the table
     * @param columns column names (with units, e.g. "porosity (%)")
     */
    public Table(String key, String caption, String... columns) {
        if (columns.length == 0) {
            throw new ParameterException("a table needs columns");
        }
        this.key = key;
        this.caption = caption == null ? "" : caption;
        this.columns = List.of(columns);
    }

    /** Adds a row; it must have one cell per column. */
    public Table row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new ParameterException("table '" + key + "': row of " + cells.length + " cells for " + columns.size() + " columns");
        }
        rows.add(Arrays.asList(cells.clone()));
        return this;
    }

    /** Adds a row shown in bold (e.g. the ground truth, or the best variant). */
    public Table emphasisedRow(Object... cells) {
        row(cells);
        emphasised.add(rows.size() - 1);
        return this;
    }

    /** A printf format for the numbers of one column, e.g. "%.2f" or "%.3e". */
    public Table format(String column, String printfFormat) {
        if (!columns.contains(column)) {
            throw new ParameterException("table '" + key + "' has no column '" + column + "'");
        }
        formats.put(column, printfFormat);
        return this;
    }

    public String key() {
        return key;
    }

    public String caption() {
        return caption;
    }

    public List<String> columns() {
        return columns;
    }

    public List<List<Object>> rows() {
        return List.copyOf(rows.stream().map(r -> java.util.Collections.unmodifiableList(r)).toList());
    }

    boolean isEmphasised(int row) {
        return emphasised.contains(row);
    }

    /** The text of a cell as shown in the HTML (plain text, not escaped). */
    String text(int row, int col) {
        Object v = rows.get(row).get(col);
        String f = formats.get(columns.get(col));
        if (v == null) {
            return "";
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                return Double.isNaN(d) ? "n/a" : d > 0 ? "inf" : "-inf";
            }
            return f != null ? String.format(Locale.ROOT, f, d) : Numbers.format(d, autoDecimals(col));
        }
        if (v instanceof Number n && f != null) {
            return String.format(Locale.ROOT, f, n);
        }
        return v.toString();
    }

    /**
     * Decimals shared by a column of fractional numbers, so that they line up: enough for four
     * significant digits of its smallest non-zero value (at most 8); -1 (per-cell formatting) when the
     * column holds integers only, or values outside 1e-3 .. 1e6.
     */
    int autoDecimals(int col) {
        double min = Double.POSITIVE_INFINITY;
        boolean fractional = false;
        for (List<Object> r : rows) {
            Object v = r.get(col);
            if (v instanceof Double || v instanceof Float) {
                double a = Math.abs(((Number) v).doubleValue());
                if (!Double.isFinite(a) || a == 0) {
                    continue;
                }
                if (a < 1e-3 || a >= 1e6) {
                    return -1;
                }
                fractional = true;
                min = Math.min(min, a);
            }
        }
        if (!fractional) {
            return -1;
        }
        return (int) Math.max(0, Math.min(8, 3 - Math.floor(Math.log10(min))));
    }

    boolean isNumber(int row, int col) {
        return rows.get(row).get(col) instanceof Number;
    }

    /** {key, caption, columns, rows: [{column: value}]} with NaN as null. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("caption", caption);
        m.put("columns", columns);
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<Object> r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                row.put(columns.get(c), Numbers.jsonValue(r.get(c)));
            }
            out.add(row);
        }
        m.put("rows", out);
        return m;
    }
}

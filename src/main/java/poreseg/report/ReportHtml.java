package poreseg.report;

import java.util.Map;

/**
 * The HTML pieces of {@link HtmlReport}: escaping, the style sheet, headline cards, tables,
 * figures and key-value tables, appended to a {@link StringBuilder}.
 */
final class ReportHtml {
    private ReportHtml() {
    }

    /** A headline number as a card: label, value and unit, spread, detail. */
    static void card(StringBuilder b, Quantity q) {
        b.append("<div class=\"card\" id=\"h-").append(esc(q.key())).append("\">")
                .append("<div class=\"label\">").append(esc(q.label())).append("</div>")
                .append("<div class=\"value\">").append(esc(q.decimals() >= 0 ? Numbers.format(q.value(), q.decimals()) : Numbers.significant(q.value(), 4)))
                .append(q.unit().isEmpty() ? "" : "<span class=\"unit\">" + esc(unitSep(q.unit())) + "</span>").append("</div>");
        if (!Double.isNaN(q.spread())) {
            b.append("<div class=\"spread\">\u00b1 ").append(esc(q.decimals() >= 0 ? Numbers.format(q.spread(), q.decimals()) : Numbers.significant(q.spread(), 2)))
                    .append(esc(unitSep(q.unit())));
            if (!q.spreadOf().isEmpty()) {
                b.append(" (").append(esc(q.spreadOf())).append(")");
            }
            b.append("</div>");
        }
        if (!q.detail().isEmpty()) {
            b.append("<div class=\"detail\">").append(esc(q.detail())).append("</div>");
        }
        b.append("</div>\n");
    }

    private static String unitSep(String unit) {
        return unit.equals("%") ? "\u2009%" : "\u2009" + unit;
    }

    static void item(StringBuilder b, HtmlReport.Item it) {
        if (it instanceof HtmlReport.Para p) {
            b.append("<p>").append(esc(p.text())).append("</p>\n");
        } else if (it instanceof HtmlReport.TableItem ti) {
            Table t = ti.table();
            b.append("<table id=\"t-").append(esc(t.key())).append("\">\n<caption><b>Table ").append(ti.number()).append(".</b> ")
                    .append(esc(t.caption())).append("</caption>\n<thead><tr>");
            for (String c : t.columns()) {
                b.append("<th>").append(esc(c)).append("</th>");
            }
            b.append("</tr></thead>\n<tbody>\n");
            for (int r = 0; r < t.rows().size(); r++) {
                b.append(t.isEmphasised(r) ? "<tr class=\"em\">" : "<tr>");
                for (int c = 0; c < t.columns().size(); c++) {
                    b.append(t.isNumber(r, c) ? "<td class=\"num\">" : "<td>").append(esc(t.text(r, c))).append("</td>");
                }
                b.append("</tr>\n");
            }
            b.append("</tbody>\n</table>\n");
        } else if (it instanceof HtmlReport.FigureItem f) {
            b.append("<figure id=\"f-").append(f.id()).append("\">\n<img src=\"").append(Figure.dataUri(f.png()))
                    .append("\" width=\"").append(f.width()).append("\" height=\"").append(f.height())
                    .append("\" alt=\"").append(esc(f.caption())).append("\"/>\n<figcaption><b>Figure ").append(f.number())
                    .append(".</b> ").append(esc(f.caption())).append("</figcaption>\n</figure>\n");
        }
    }

    static void keyValues(StringBuilder b, String caption, Map<String, ?> m) {
        b.append("<table class=\"kv\">\n<caption>").append(esc(caption)).append("</caption>\n<tbody>\n");
        if (m.isEmpty()) {
            b.append("<tr><td colspan=\"2\">(none recorded)</td></tr>\n");
        }
        for (Map.Entry<String, ?> e : m.entrySet()) {
            Object v = e.getValue();
            String s = v instanceof Double d ? Numbers.format(d, -1) : String.valueOf(v);
            b.append("<tr><th>").append(esc(e.getKey())).append("</th><td><code>").append(esc(s)).append("</code></td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }

    /** Escapes text for HTML content and attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        b.append(' '); // control characters are not allowed in HTML/XML
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    static final String CSS = """
            :root { color-scheme: light; }
            body { font-family: "DejaVu Sans", "Liberation Sans", Helvetica, Arial, sans-serif; color: #1a1a1a;
                   background: #ffffff; max-width: 1180px; margin: 0 auto; padding: 16px 28px 40px; line-height: 1.45; }
            header { border-bottom: 3px solid #0072B2; margin-bottom: 12px; }
            h1 { font-size: 26px; margin: 8px 0 4px; }
            h2 { font-size: 20px; margin: 28px 0 10px; border-bottom: 1px solid #d0d0d0; padding-bottom: 4px; }
            .sub { color: #444; margin: 0 0 6px; }
            nav { font-size: 14px; margin: 6px 0 10px; }
            nav a { color: #0072B2; text-decoration: none; }
            .cards { display: flex; flex-wrap: wrap; gap: 14px; margin: 8px 0 14px; }
            .card { flex: 1 1 220px; border: 1px solid #cfd8e3; border-left: 6px solid #0072B2; border-radius: 6px;
                    padding: 10px 14px; background: #f5f9fd; }
            .card .label { font-size: 14px; color: #333; }
            .card .value { font-size: 30px; font-weight: bold; margin: 2px 0; }
            .card .unit { font-size: 18px; font-weight: normal; margin-left: 2px; }
            .card .spread { font-size: 14px; color: #333; }
            .card .detail { font-size: 13px; color: #555; margin-top: 2px; }
            .warning { background: #fff4e0; border-left: 6px solid #E69F00; padding: 8px 12px; }
            table { border-collapse: collapse; margin: 10px 0 18px; font-size: 14px; }
            caption { caption-side: top; text-align: left; padding: 4px 0 6px; font-size: 14px; }
            th, td { border: 1px solid #d0d0d0; padding: 4px 10px; }
            thead th { background: #eef2f6; }
            tbody tr:nth-child(even) { background: #fafafa; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            tr.em td { font-weight: bold; }
            table.kv th { text-align: left; background: #f3f3f3; font-weight: normal; }
            figure { margin: 12px 0 22px; }
            figure img { max-width: 100%; height: auto; border: 1px solid #e0e0e0; }
            figcaption { font-size: 14px; color: #333; max-width: 900px; margin-top: 4px; }
            code { font-family: "DejaVu Sans Mono", monospace; font-size: 13px; }
            footer { margin-top: 30px; font-size: 12px; color: #666; border-top: 1px solid #d0d0d0; padding-top: 6px; }
            @media print { body { max-width: none; } nav { display: none; } }
            """;
}

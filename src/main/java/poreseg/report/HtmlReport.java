package poreseg.report;

import static poreseg.report.ReportHtml.esc;

import com.google.gson.GsonBuilder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import poreseg.io.OutputFiles;
import poreseg.util.ParameterException;

/**
 * Builds one self-contained {@code report.html} (inline CSS, images embedded as PNG data URIs, no
 * scripts, no network references: it opens from disk anywhere) and a {@code report.json} with the same
 * numbers. The layout puts the answer first whatever the order of the calls:
 * <ol>
 *   <li>the answer: {@link #headline headline numbers} (cards), {@link #warning warnings},
 *       {@link #summary summary tables} and {@link #note notes};</li>
 *   <li>the body: {@link #section sections} holding {@link #paragraph paragraphs}, {@link #table tables}
 *       and {@link #figure figures}, in the order added (figures and tables are numbered);</li>
 *   <li>reproduction: {@link #setting settings} and {@link #version versions}.</li>
 * </ol>
 * Example:
 * <pre>{@code
 * HtmlReport r = new HtmlReport("Porosity of particle A").subtitle("stack: a.tif, 512 x 512 x 120, 9 x 9 x 15 nm")
 *     .headline(Quantity.of("porosity_cnn", "Porosity (CNN)", 23.4, "%").withSpread(1.2, "sd across 120 slices"))
 *     .summary(resultsTable)
 *     .section("Training").figure("accuracy", plotImage, "Accuracy against epoch, train (solid) and test (dashed).")
 *     .setting("epochs", 100).version("DJL", "0.36.0");
 * r.write(outDir);   // report.html, report.json, figures/*.png
 * }</pre>
 * Text is escaped; the output is also well-formed XML (polyglot HTML). The HTML pieces are in {@link ReportHtml}.
 */
public final class HtmlReport {
    /** File names written by {@link #write(Path)}. */
    public static final String HTML = "report.html";
    public static final String JSON = "report.json";
    public static final String FIGURES = "figures";

    sealed interface Item permits Para, TableItem, FigureItem {
    }

    record Para(String text) implements Item {
    }

    record TableItem(Table table, int number) implements Item {
    }

    record FigureItem(String id, byte[] png, int width, int height, String caption, int number) implements Item {
    }

    record Section(String title, String id, List<Item> items) {
    }

    private final String title;
    private String subtitle = "";
    private Instant generated = Instant.now();
    private final List<Quantity> headline = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<Item> answer = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final Map<String, String> versions = new LinkedHashMap<>();
    private int tables;
    private int figures;

    /** A report with this title and the default versions (poreseg, Java, OS). */
    public HtmlReport(String title) {
        this.title = title == null ? "poreseg report" : title;
        versions.putAll(defaultVersions());
    }

    /** poreseg (from the jar manifest, "dev" otherwise), Java, operating system, cores and memory. */
    public static Map<String, String> defaultVersions() {
        Map<String, String> v = new LinkedHashMap<>();
        String p = HtmlReport.class.getPackage().getImplementationVersion();
        v.put("poreseg", p == null ? "dev" : p);
        v.put("Java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        v.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        v.put("CPU cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        v.put("max heap", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        return v;
    }

    /** One line under the title, e.g. the input stack and its size. */
    public HtmlReport subtitle(String text) {
        subtitle = text == null ? "" : text;
        return this;
    }

    /** The time stamp shown (default: now), e.g. fixed for reproducible output. */
    public HtmlReport generated(Instant when) {
        generated = when;
        return this;
    }

    /** A headline number, shown as a card at the top. Keys must be unique. */
    public HtmlReport headline(Quantity q) {
        for (Quantity h : headline) {
            if (h.key().equals(q.key())) {
                throw new ParameterException("duplicate headline key '" + q.key() + "'");
            }
        }
        headline.add(q);
        return this;
    }

    /** A warning shown prominently under the headline (e.g. "no ground truth: no scores"). */
    public HtmlReport warning(String text) {
        warnings.add(text);
        return this;
    }

    /** A table shown in the answer block, under the headline numbers (e.g. truth vs threshold vs CNN). */
    public HtmlReport summary(Table t) {
        answer.add(new TableItem(t, ++tables));
        return this;
    }

    /** A paragraph in the answer block. */
    public HtmlReport note(String text) {
        answer.add(new Para(text));
        return this;
    }

    /** Starts a new body section; the following paragraphs, tables and figures go into it. */
    public HtmlReport section(String heading) {
        sections.add(new Section(heading, "s" + (sections.size() + 1), new ArrayList<>()));
        return this;
    }

    /** A paragraph in the current section (a section "Details" is started when none was). */
    public HtmlReport paragraph(String text) {
        current().items.add(new Para(text));
        return this;
    }

    /** A numbered table in the current section. */
    public HtmlReport table(Table t) {
        current().items.add(new TableItem(t, ++tables));
        return this;
    }

    /**
     * A numbered figure in the current section, embedded as PNG.
     *
     * @param id      file-name-safe identifier ([A-Za-z0-9_-]), used for figures/ID.png and the JSON
     * @param image   the picture (e.g. from {@link Plot#render} or {@link Montage#render})
     * @param caption what it shows, with units and what the colours mean
     */
    public HtmlReport figure(String id, BufferedImage image, String caption) {
        if (id == null || !id.matches("[A-Za-z0-9_-]+")) {
            throw new ParameterException("figure id must be letters, digits, '_' or '-', got '" + id + "'");
        }
        for (Section s : sections) {
            for (Item it : s.items) {
                if (it instanceof FigureItem f && f.id.equals(id)) {
                    throw new ParameterException("duplicate figure id '" + id + "'");
                }
            }
        }
        current().items.add(new FigureItem(id, Figure.png(image), image.getWidth(), image.getHeight(), caption, ++figures));
        return this;
    }

    /**
     * A machine-readable result, stored under {@code results} in report.json only (the HTML shows the
     * headline and tables): numbers, strings, arrays, lists and maps of them.
     */
    public HtmlReport result(String key, Object value) {
        results.put(key, value);
        return this;
    }

    /** A setting of the run (option, seed, file), listed for reproduction. */
    public HtmlReport setting(String name, Object value) {
        settings.put(name, value);
        return this;
    }

    public HtmlReport settings(Map<String, ?> values) {
        settings.putAll(values);
        return this;
    }

    /** A version of a component (library, model, data), listed for reproduction. */
    public HtmlReport version(String name, String value) {
        versions.put(name, value);
        return this;
    }

    private Section current() {
        if (sections.isEmpty()) {
            section("Details");
        }
        return sections.get(sections.size() - 1);
    }

    /** Writes report.html, report.json and figures/ID.png into {@code dir} (created if needed), each atomically. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path figs = dir.resolve(FIGURES);
        for (Section s : sections) {
            for (Item it : s.items) {
                if (it instanceof FigureItem f) {
                    Files.createDirectories(figs);
                    OutputFiles.writeAtomically(figs.resolve(f.id + ".png"), tmp -> Files.write(tmp, f.png));
                }
            }
        }
        writeJson(dir.resolve(JSON));
        writeHtml(dir.resolve(HTML));
    }

    public void writeHtml(Path file) throws IOException {
        OutputFiles.writeString(file, html());
    }

    public void writeJson(Path file) throws IOException {
        OutputFiles.writeString(file, json() + "\n");
    }

    /** The JSON document: title, generated, headline, warnings, results (if any), tables, figures (id, caption, file), settings, versions. */
    public String json() {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(model());
    }

    /** The report's content as nested maps (what {@link #json()} writes). */
    public Map<String, Object> model() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", title);
        m.put("subtitle", subtitle);
        m.put("generated", DateTimeFormatter.ISO_INSTANT.format(generated));
        List<Map<String, Object>> hl = new ArrayList<>();
        for (Quantity q : headline) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("key", q.key());
            h.put("label", q.label());
            h.put("value", Numbers.jsonValue(q.value()));
            h.put("unit", q.unit());
            h.put("spread", Numbers.jsonValue(q.spread()));
            h.put("spread_of", q.spreadOf());
            h.put("detail", q.detail());
            hl.add(h);
        }
        m.put("headline", hl);
        m.put("warnings", warnings);
        if (!results.isEmpty()) {
            m.put("results", results);
        }
        List<Map<String, Object>> tbls = new ArrayList<>();
        List<Map<String, Object>> figs = new ArrayList<>();
        List<Item> all = new ArrayList<>(answer);
        sections.forEach(s -> all.addAll(s.items));
        for (Item it : all) {
            if (it instanceof TableItem t) {
                Map<String, Object> tm = t.table.toMap();
                tm.put("number", t.number);
                tbls.add(tm);
            } else if (it instanceof FigureItem f) {
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put("id", f.id);
                fm.put("number", f.number);
                fm.put("caption", f.caption);
                fm.put("file", FIGURES + "/" + f.id + ".png");
                figs.add(fm);
            }
        }
        m.put("tables", tbls);
        m.put("figures", figs);
        Map<String, Object> st = new LinkedHashMap<>();
        settings.forEach((k, v) -> st.put(k, Numbers.jsonValue(v)));
        m.put("settings", st);
        m.put("versions", versions);
        return m;
    }

    /** The HTML document. */
    public String html() {
        StringBuilder b = new StringBuilder(1 << 16);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(ReportHtml.CSS).append("</style>\n</head>\n<body>\n");
        b.append("<header>\n<h1>").append(esc(title)).append("</h1>\n");
        if (!subtitle.isEmpty()) {
            b.append("<p class=\"sub\">").append(esc(subtitle)).append("</p>\n");
        }
        b.append("<nav><a href=\"#answer\">Result</a>");
        for (Section s : sections) {
            b.append(" \u00b7 <a href=\"#").append(s.id).append("\">").append(esc(s.title)).append("</a>");
        }
        b.append(" \u00b7 <a href=\"#reproduce\">Settings and versions</a></nav>\n</header>\n");

        b.append("<section id=\"answer\">\n<h2>Result</h2>\n");
        if (!headline.isEmpty()) {
            b.append("<div class=\"cards\">\n");
            for (Quantity q : headline) {
                ReportHtml.card(b, q);
            }
            b.append("</div>\n");
        }
        for (String w : warnings) {
            b.append("<p class=\"warning\"><strong>Note:</strong> ").append(esc(w)).append("</p>\n");
        }
        for (Item it : answer) {
            ReportHtml.item(b, it);
        }
        b.append("</section>\n");

        for (Section s : sections) {
            b.append("<section id=\"").append(s.id).append("\">\n<h2>").append(esc(s.title)).append("</h2>\n");
            for (Item it : s.items) {
                ReportHtml.item(b, it);
            }
            b.append("</section>\n");
        }

        b.append("<section id=\"reproduce\">\n<h2>Settings and versions</h2>\n");
        b.append("<p>Everything needed to run this again. All numbers of this page are also in <code>")
                .append(JSON).append("</code> beside it.</p>\n");
        ReportHtml.keyValues(b, "Settings", settings);
        ReportHtml.keyValues(b, "Versions", new LinkedHashMap<>(versions));
        b.append("</section>\n");
        b.append("<footer>Generated ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
                .format(generated.atZone(ZoneOffset.UTC))).append(" by poreseg ").append(esc(versions.getOrDefault("poreseg", "")))
                .append(". This file is self-contained: it needs no network access.</footer>\n");
        b.append("</body>\n</html>\n");
        return b.toString();
    }
}

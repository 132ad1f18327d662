package poreseg.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class HtmlReportTest {
    @TempDir
    Path dir;

    @Test
    void reportIsWellFormedSelfContainedAndHoldsTheNumbers() throws Exception {
        HtmlReport r = ExampleReport.build();
        String html = r.html();
        // well-formed: parses as XML (polyglot HTML), and the static checker finds nothing
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        assertEquals(3, doc.getElementsByTagName("img").getLength());
        ReportCheck.Result check = ReportCheck.checkHtml(html);
        assertTrue(check.ok(), check.problems().toString());
        assertEquals(3, check.images());
        assertFalse(html.contains("http://") || html.contains("https://"), "no network references");
        assertFalse(html.contains("<script"));
        // the numbers, formatted
        assertTrue(html.contains(">23.58<span class=\"unit\">"), "headline porosity");
        assertTrue(html.contains("\u00b1 1.55"), "spread");
        assertTrue(html.contains(">0.3950<span class=\"unit\">"), "headline with 4 significant digits");
        assertTrue(html.contains("<td class=\"num\">26.87</td>"), "table cell with column format");
        assertTrue(html.contains("<td class=\"num\">0.9713</td>"), "table cell, 4 significant digits");
        assertTrue(html.contains("<td class=\"num\">0.4040</td>"), "a column shares its decimals");
        assertTrue(html.contains("<td class=\"num\">0.03000</td>"), "4 significant digits of the column's smallest value");
        // the answer comes before the figures, the settings last
        int answer = html.indexOf("id=\"answer\"");
        int firstFigure = html.indexOf("<figure");
        int settings = html.indexOf("id=\"reproduce\"");
        assertTrue(answer > 0 && answer < firstFigure && firstFigure < settings);
        assertTrue(html.indexOf("<b>Table 1.</b>") < html.indexOf("<b>Table 2.</b>"));
        assertTrue(html.contains("<b>Figure 3.</b>"));
        assertTrue(html.contains("<code>1234</code>"), "settings listed");
    }

    @Test
    void jsonHasTheSameNumbersAndFiguresAreWritten() throws Exception {
        HtmlReport r = ExampleReport.build();
        r.write(dir);
        assertTrue(Files.isRegularFile(dir.resolve("report.html")));
        for (String id : new String[] {"accuracy", "montage", "porosity_per_slice"}) {
            assertTrue(Files.size(dir.resolve("figures").resolve(id + ".png")) > 1000, id);
        }
        JsonObject o = JsonParser.parseString(Files.readString(dir.resolve("report.json"))).getAsJsonObject();
        JsonArray hl = o.getAsJsonArray("headline");
        assertEquals("porosity_cnn", hl.get(0).getAsJsonObject().get("key").getAsString());
        assertEquals(23.58, hl.get(0).getAsJsonObject().get("value").getAsDouble());
        assertEquals(1.55, hl.get(0).getAsJsonObject().get("spread").getAsDouble());
        assertTrue(hl.get(2).getAsJsonObject().get("spread").isJsonNull(), "NaN written as null");
        JsonObject results = o.getAsJsonArray("tables").get(0).getAsJsonObject();
        assertEquals("results", results.get("key").getAsString());
        JsonObject thr = results.getAsJsonArray("rows").get(1).getAsJsonObject();
        assertEquals(26.87, thr.get("porosity (%)").getAsDouble());
        assertTrue(results.getAsJsonArray("rows").get(0).getAsJsonObject().get("F1").isJsonNull());
        assertEquals("figures/montage.png", o.getAsJsonArray("figures").get(1).getAsJsonObject().get("file").getAsString());
        assertEquals(40, o.getAsJsonObject("settings").get("epochs").getAsInt());
        assertTrue(o.getAsJsonObject("versions").has("Java"));
    }

    @Test
    void textIsEscapedAndInputsChecked() throws Exception {
        HtmlReport r = new HtmlReport("a <b> & \"c\"").subtitle("<script>alert(1)</script>")
                .summary(new Table("t", "x < y", "name", "value").row("<img src=x>", Double.NaN));
        String html = r.html();
        assertTrue(html.contains("<title>a &lt;b&gt; &amp; &quot;c&quot;</title>"));
        assertFalse(html.contains("<script>"));
        assertTrue(html.contains("<td>&lt;img src=x&gt;</td><td class=\"num\">n/a</td>"));
        assertTrue(ReportCheck.checkHtml(html).ok(), ReportCheck.checkHtml(html).problems().toString());
        assertThrows(IllegalArgumentException.class, () -> new HtmlReport("x").figure("bad id", FigureTest.solid(4, 4, java.awt.Color.RED), "c"));
        assertThrows(IllegalArgumentException.class, () -> new Table("t", "c", "a", "b").row(1));
        assertThrows(IllegalArgumentException.class, () -> new HtmlReport("x").headline(Quantity.of("k", "a", 1, ""))
                .headline(Quantity.of("k", "b", 2, "")));
    }

    @Test
    void numbersAreReadable() {
        assertEquals("0.9713", Numbers.format(0.97131, -1));
        assertEquals("23.41", Numbers.format(23.4112, -1));
        assertEquals("1235", Numbers.format(1234.6, -1));
        assertEquals("1.235e9", Numbers.format(1.2346e9, -1));
        assertEquals("2e-5", Numbers.format(2e-5, -1));
        assertEquals("0", Numbers.format(0, -1));
        assertEquals("23.40", Numbers.format(23.4, 2));
        assertEquals("n/a", Numbers.format(Double.NaN, 2));
        assertEquals("0.3950", Numbers.significant(0.395, 4));
        assertEquals("1.2", Numbers.significant(1.23, 2));
    }

    @Test
    void checkerFindsProblems() {
        String ok = "<html><body><p>x</p></body></html>";
        assertTrue(ReportCheck.checkHtml(ok).ok());
        assertFalse(ReportCheck.checkHtml("<html><body><p>x</body></html>").ok(), "unclosed p");
        assertFalse(ReportCheck.checkHtml("<html><body><img src=\"https://example.org/a.png\"/></body></html>").ok());
        assertFalse(ReportCheck.checkHtml("<html><head><style>@import url(//cdn.example/x.css);</style></head><body></body></html>").ok());
        assertFalse(ReportCheck.checkHtml("<html><body><img src=\"data:image/png;base64,AAAA\"/></body></html>").ok(), "broken image");
        assertFalse(ReportCheck.checkHtml("<html><body><img src=\"fig.png\"/></body></html>").ok(), "not embedded");
        assertFalse(ReportCheck.checkHtml("<html><body><script>1</script></body></html>").ok(), "script");
        // a URL in plain text is not a reference
        assertTrue(ReportCheck.checkHtml("<html><body><p>see https://example.org</p></body></html>").ok());
    }
}

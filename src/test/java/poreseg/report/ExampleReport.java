package poreseg.report;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A sample report filled with fake, clearly labelled example data (see {@link ExampleData}); used by
 * the tests and to make the screenshot docs/img/report.png. Run from the project root:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) poreseg.report.ExampleReport OUTDIR [SCREENSHOT.png]}.
 */
public final class ExampleReport {
    private ExampleReport() {
    }

    static HtmlReport build() {
        Table results = new Table("results", "Porosity, pore volume and pore surface area of the example particle for each "
                + "segmentation (EXAMPLE DATA, not measured).", "segmentation", "porosity (%)", "sd across slices (%)",
                "pore volume (um\u00b3)", "surface area (um\u00b2)", "F1", "IoU")
                .format("porosity (%)", "%.2f").format("sd across slices (%)", "%.2f")
                .emphasisedRow("ground truth", 23.41, 1.52, 0.3921, 6.214, null, null)
                .row("threshold (Otsu)", 26.87, 2.03, 0.4501, 8.902, 0.861, 0.756)
                .row("CNN, raw", 24.95, 1.71, 0.4179, 7.115, 0.902, 0.822)
                .row("CNN, stretch", 24.12, 1.60, 0.4040, 6.630, 0.931, 0.871)
                .row("CNN, equalize", 23.58, 1.55, 0.3950, 6.301, 0.957, 0.918);
        Table scores = new Table("table2", "Train and test scores of each variant after 40 epochs, mean over 2 folds "
                + "(EXAMPLE DATA).", "variant", "train accuracy", "train F1", "train MSE", "test accuracy", "test F1", "test MSE")
                .row("raw", 0.9551, 0.8893, 0.0349, 0.9402, 0.8610, 0.0461)
                .row("stretch", 0.9702, 0.9310, 0.0231, 0.9611, 0.9123, 0.0300)
                .row("equalize", 0.9788, 0.9601, 0.0170, 0.9713, 0.9570, 0.0221);
        return new HtmlReport("Porosity report \u2014 EXAMPLE DATA")
                .subtitle("Sample report made from synthetic example numbers to show the layout; nothing here is measured.")
                .generated(Instant.parse("2026-01-01T12:00:00Z"))
                .headline(Quantity.of("porosity_cnn", "Porosity (CNN, equalize)", 23.58, "%").withDecimals(2)
                        .withSpread(1.55, "sd across 120 slices").withDetail("folds: 23.31 and 23.85 %"))
                .headline(Quantity.of("porosity_truth", "Porosity (ground truth)", 23.41, "%").withDecimals(2)
                        .withSpread(1.52, "sd across 120 slices"))
                .headline(Quantity.of("pore_volume_cnn", "Pore volume (CNN)", 0.3950, "um\u00b3").withDetail("ground truth 0.3921 um\u00b3"))
                .headline(Quantity.of("surface_area_cnn", "Pore surface area (CNN)", 6.301, "um\u00b2").withDetail("ground truth 6.214 um\u00b2"))
                .warning("EXAMPLE DATA: this report only demonstrates the layout.")
                .summary(results)
                .note("Porosity is the pore fraction of the particle (region of interest); the spread is the standard "
                        + "deviation of the per-slice porosity.")
                .section("Training and test scores")
                .table(scores)
                .figure("accuracy", ExampleData.accuracyPlot(), "Accuracy against training epoch for two preprocessing "
                        + "variants; training solid, test dashed (EXAMPLE DATA).")
                .section("Segmentations")
                .figure("montage", ExampleData.montage(), "Input, ground truth, CNN and threshold output for two slices; "
                        + "right: CNN errors against the truth (EXAMPLE DATA).")
                .figure("porosity_per_slice", ExampleData.porosityPlot(), "Porosity of each slice for the ground truth, "
                        + "the CNN and the threshold (EXAMPLE DATA).")
                .setting("images", "example/particle.tif").setting("masks", "example/truth.tif")
                .setting("folds", 2).setting("epochs", 40).setting("seed", 1234).setting("voxel size", "9 x 9 x 15 nm")
                .version("model", "example (none)");
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ExampleReport OUTDIR [SCREENSHOT.png]");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        Path dir = Path.of(args[0]);
        build().write(dir);
        System.out.println("wrote " + dir.resolve(HtmlReport.HTML));
        if (args.length > 1) {
            Optional<HeadlessBrowser> b = HeadlessBrowser.find();
            if (b.isEmpty()) {
                System.err.println("Chromium not found: no screenshot");
                System.exit(1);
            }
            Figure.writePng(b.get().screenshot(dir.resolve(HtmlReport.HTML), 1280, 2400), Path.of(args[1]));
            System.out.println("wrote " + args[1]);
        }
    }
}

package poreseg.report;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Writes the example figures to target/report-examples for looking at (no assertions beyond rendering). */
class ExampleFiguresTest {
    @Test
    void writeExamples() throws Exception {
        Path dir = Path.of("target", "report-examples");
        Files.createDirectories(dir);
        Figure.writePng(ExampleData.accuracyPlot(), dir.resolve("accuracy.png"));
        Figure.writePng(ExampleData.porosityPlot(), dir.resolve("porosity.png"));
        Figure.writePng(ExampleData.montage(), dir.resolve("montage.png"));
    }
}

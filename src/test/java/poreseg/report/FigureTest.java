package poreseg.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FigureTest {
    @TempDir
    Path dir;

    static BufferedImage solid(int w, int h, Color c) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, c.getRGB());
            }
        }
        return img;
    }

    @Test
    void dataUriRoundTripsAndFilesAreWritten() throws IOException {
        BufferedImage img = solid(7, 5, Color.RED);
        String uri = Figure.dataUri(img);
        assertTrue(uri.startsWith("data:image/png;base64,iVBOR"), uri.substring(0, 30));
        BufferedImage back = Figure.decodeDataUri(uri);
        assertEquals(7, back.getWidth());
        assertEquals(Color.RED.getRGB(), back.getRGB(3, 2));
        Path f = dir.resolve("fig.png");
        Figure.writePng(img, f);
        assertEquals(5, ImageIO.read(f.toFile()).getHeight());
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void brokenDataUrisAreReported() {
        assertThrows(IOException.class, () -> Figure.decodeDataUri("data:image/png;base64,AAAA"));
        assertThrows(IOException.class, () -> Figure.decodeDataUri("data:image/png;base64,***"));
        assertThrows(IOException.class, () -> Figure.decodeDataUri("https://example.org/a.png"));
    }

    @Test
    void gridPlacesPanels() {
        BufferedImage g = Figure.grid(2, List.of(solid(10, 10, Color.RED), solid(10, 10, Color.BLUE), solid(10, 10, Color.GREEN)));
        assertEquals(30, g.getWidth());
        assertEquals(30, g.getHeight());
        assertEquals(Color.BLUE.getRGB(), g.getRGB(25, 5));
        assertEquals(Color.GREEN.getRGB(), g.getRGB(5, 25));
        assertEquals(Color.WHITE.getRGB(), g.getRGB(25, 25));
    }
}

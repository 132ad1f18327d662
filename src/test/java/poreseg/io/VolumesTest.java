package poreseg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumesTest {
    @TempDir
    Path dir;

    private Path png(String name, int type, int w, int h, int grey) throws Exception {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = (grey + x + y) & 0xff;
                if (type == BufferedImage.TYPE_BYTE_GRAY) {
                    img.getRaster().setSample(x, y, 0, g);
                } else {
                    img.setRGB(x, y, 0xff000000 | g << 16 | g << 8 | g);
                }
            }
        }
        Path p = dir.resolve(name);
        ImageIO.write(img, name.endsWith(".bmp") ? "bmp" : "png", p.toFile());
        return p;
    }

    @Test
    void greyRgbAndArgbPngsReadAsGrey() throws Exception {
        float[] grey = Volumes.load(png("g.png", BufferedImage.TYPE_BYTE_GRAY, 5, 4, 10)).slice(0);
        float[] rgb = Volumes.load(png("rgb.png", BufferedImage.TYPE_INT_RGB, 5, 4, 10)).slice(0);
        float[] argb = Volumes.load(png("argb.png", BufferedImage.TYPE_INT_ARGB, 5, 4, 10)).slice(0);
        float[] bmp = Volumes.load(png("b.bmp", BufferedImage.TYPE_INT_RGB, 5, 4, 10)).slice(0);
        assertEquals(10 + 4 + 3, grey[19]);
        assertArrayEquals(grey, rgb);
        assertArrayEquals(grey, argb);
        assertArrayEquals(grey, bmp);
        assertEquals(PixelType.U8, Volumes.open(dir.resolve("g.png")).info().type());
    }

    @Test
    void sixteenBitPngReadsAsU16() throws Exception {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(2, 1, 0, 60000);
        Path p = dir.resolve("u16.png");
        ImageIO.write(img, "png", p.toFile());
        Volume v = Volumes.open(p);
        assertEquals(PixelType.U16, v.info().type());
        assertEquals(60000, v.slice(0)[5]);
    }

    @Test
    void greyPlusAlphaPngReadsTheGreyBand() throws Exception {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x80_30_30_30);
        img.setRGB(1, 0, 0xff_c8_c8_c8);
        Path p = dir.resolve("ga.png");
        ImageIO.write(img, "png", p.toFile());
        assertArrayEquals(new float[] {0x30, 0xc8}, Volumes.load(p).slice(0));
    }

    @Test
    void colourImageIsRefusedNamingTheFile() throws Exception {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xff0000);
        Path p = dir.resolve("colour.png");
        ImageIO.write(img, "png", p.toFile());
        DataException e = assertThrows(DataException.class, () -> Volumes.load(p));
        assertTrue(e.getMessage().contains("colour.png") && e.getMessage().contains("RGB colour"), e.getMessage());
    }

    @Test
    void folderIsSortedNaturally() throws Exception {
        Path d = Files.createDirectory(dir.resolve("slices"));
        for (int i : new int[] {10, 2, 1}) {
            StackInfo info = new StackInfo(3, 3, 1, PixelType.U8, Calibration.NONE);
            float[] s = new float[9];
            s[0] = i;
            TiffWriter.write(d.resolve("slice" + i + ".tif"), new ArrayVolume(info, List.of(s)));
        }
        Files.writeString(d.resolve("notes.txt"), "ignored");
        try (Volume v = Volumes.open(d)) {
            assertEquals(3, v.info().depth());
            assertEquals(1, v.slice(0)[0]);
            assertEquals(2, v.slice(1)[0]);
            assertEquals(10, v.slice(2)[0]);
        }
    }

    @Test
    void naturalOrder() {
        List<String> names = new ArrayList<>(List.of("s10.tif", "s2.tif", "s1.tif", "S3.tif", "s02b.tif", "a.tif"));
        names.sort(NaturalOrder.INSTANCE);
        assertEquals(List.of("a.tif", "s1.tif", "s2.tif", "s02b.tif", "S3.tif", "s10.tif"), names);
    }

    @Test
    void folderWithImagesOfDifferentSizesIsAnError() throws Exception {
        Path d = Files.createDirectory(dir.resolve("mixed"));
        png("mixed/a1.png", BufferedImage.TYPE_BYTE_GRAY, 4, 4, 0);
        png("mixed/a2.png", BufferedImage.TYPE_BYTE_GRAY, 5, 4, 0);
        DataException e = assertThrows(DataException.class, () -> Volumes.load(d));
        assertTrue(e.getMessage().contains("a2.png") && e.getMessage().contains("different sizes"), e.getMessage());
    }

    @Test
    void badInputsGiveClearErrors() throws Exception {
        assertTrue(assertThrows(DataException.class, () -> Volumes.open(dir.resolve("nope.tif")))
                .getMessage().contains("no such file"));
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertTrue(assertThrows(DataException.class, () -> Volumes.open(empty)).getMessage().contains("no images"));
        Path text = Files.writeString(dir.resolve("x.tif"), "hello, not an image");
        assertTrue(assertThrows(DataException.class, () -> Volumes.open(text)).getMessage().contains("unsupported file type"));
        Path zero = Files.write(dir.resolve("zero.tif"), new byte[0]);
        assertTrue(assertThrows(DataException.class, () -> Volumes.open(zero)).getMessage().contains("empty file"));
        byte[] junk = new byte[200];
        junk[0] = 'I';
        junk[1] = 'I';
        junk[2] = 42;
        junk[4] = (byte) 0xF0; // first IFD offset far beyond the end
        junk[5] = (byte) 0xFF;
        Path corrupt = Files.write(dir.resolve("corrupt.tif"), junk);
        DataException e = assertThrows(DataException.class, () -> Volumes.load(corrupt));
        assertTrue(e.getMessage().contains("corrupt.tif"), e.getMessage());
    }

    @Test
    void truncatedTiffIsAnError() throws Exception {
        Path f = dir.resolve("full.tif");
        TiffWriter.write(f, TiffRoundTripTest.random(PixelType.U16, 64, 64, 4, Calibration.NONE, 3));
        byte[] all = Files.readAllBytes(f);
        Path cut = Files.write(dir.resolve("cut.tif"), java.util.Arrays.copyOf(all, all.length / 2));
        DataException e = assertThrows(DataException.class, () -> Volumes.load(cut));
        assertTrue(e.getMessage().contains("cut.tif"), e.getMessage());
    }
}

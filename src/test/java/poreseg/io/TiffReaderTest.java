package poreseg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.Opener;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The strict TIFF reader: every layout against the values written and against ImageJ's own decoder. */
class TiffReaderTest {
    @TempDir
    Path dir;

    static List<float[]> pages(int w, int h, int d, int bits, int format, long seed) {
        Random r = new Random(seed);
        List<float[]> l = new ArrayList<>();
        for (int z = 0; z < d; z++) {
            float[] s = new float[w * h];
            for (int i = 0; i < s.length; i++) {
                s[i] = switch (bits) {
                    case 1 -> r.nextInt(4) == 0 ? 255 : 0;
                    // runs of equal values so that LZW and PackBits have something to compress
                    case 8 -> format == 2 ? r.nextInt(256) - 128 : i % 7 < 3 ? 40 : r.nextInt(256);
                    case 16 -> format == 2 ? r.nextInt(65536) - 32768 : (i % 5 < 2 ? 1000 : r.nextInt(65536));
                    default -> format == 3 ? (float) (r.nextGaussian() * 1e3) : r.nextInt(1 << 20) - (1 << 19);
                };
            }
            l.add(s);
        }
        return l;
    }

    static Stream<Arguments> layouts() {
        List<Arguments> l = new ArrayList<>();
        for (ByteOrder o : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            for (int c : new int[] {1, 5, 8, 32773}) {
                for (int[] bf : new int[][] {{1, 1}, {8, 1}, {8, 2}, {16, 1}, {16, 2}, {32, 3}, {32, 2}}) {
                    for (int pred : new int[] {1, 2}) {
                        if (pred == 2 && (c == 1 || c == 32773 || bf[0] == 1 || bf[1] == 3)) {
                            continue;
                        }
                        l.add(Arguments.of(o, c, bf[0], bf[1], pred));
                    }
                }
            }
        }
        return l.stream();
    }

    @ParameterizedTest(name = "{0} compression {1}, {2}-bit format {3}, predictor {4}")
    @MethodSource("layouts")
    void readsEveryLayoutLikeImageJ(ByteOrder order, int compression, int bits, int format, int predictor) throws Exception {
        int w = 37;
        int h = 11;
        List<float[]> px = pages(w, h, 3, bits, format, bits * 31L + compression);
        for (int rps : new int[] {0, 4}) {
            TiffBuilder b = new TiffBuilder().order(order).compression(compression).bits(bits, format).predictor(predictor)
                    .rowsPerStrip(rps);
            Path f = Files.write(dir.resolve("t" + rps + ".tif"), b.build(w, h, px));
            try (Volume v = Volumes.open(f)) {
                assertEquals(3, v.info().depth());
                for (int z = 0; z < 3; z++) {
                    assertArrayEquals(px.get(z), v.slice(z), 0f, "slice " + z);
                }
            }
            // ImageJ reads 1-bit data only uncompressed (compressed 1-bit pages come out scrambled or not at all),
            // and signed 8-bit data as unsigned bytes (-1 as 255): we keep the signed values
            boolean ijReads = !(bits == 1 && compression != 1) && !(bits == 8 && format == 2);
            ImagePlus imp = ijReads ? new Opener().openImage(f.toString()) : null;
            for (int z = 0; z < 3 && ijReads; z++) {
                var ip = imp.getStack().getProcessor(z + 1);
                float[] ij = new float[w * h];
                for (int i = 0; i < ij.length; i++) {
                    ij[i] = ip.getf(i) - (bits == 16 && format == 2 ? 32768 : 0); // ImageJ adds 32768 to signed 16-bit
                }
                assertArrayEquals(ij, Volumes.open(f).slice(z), 0f, "ImageJ slice " + z);
            }
            // the same as BigTIFF, which ImageJ does not read
            Path big = Files.write(dir.resolve("b" + rps + ".tif"), b.big(true).build(w, h, px));
            ArrayVolume back = Volumes.load(big);
            for (int z = 0; z < 3; z++) {
                assertArrayEquals(px.get(z), back.sliceView(z), 0f, "BigTIFF slice " + z);
            }
        }
    }

    @Test
    void imageJContiguousStackAndItsCalibration() throws Exception {
        List<float[]> px = pages(9, 5, 4, 16, 1, 3);
        TiffBuilder b = new TiffBuilder().bits(16, 1)
                .imageJ("ImageJ=1.54f\nimages=4\nslices=4\nunit=\\u00B5m\nspacing=0.015\nloop=false\n", true);
        b.resolution = new long[] {100, 50};
        Path f = Files.write(dir.resolve("ij.tif"), b.build(9, 5, px));
        try (Volume v = Volumes.open(f)) {
            assertEquals(new StackInfo(9, 5, 4, PixelType.U16, new Calibration(0.01, 0.02, 0.015, "um")), v.info());
            assertArrayEquals(px.get(3), v.slice(3), 0f);
        }
    }

    @Test
    void greyStoredAsRgbIsReadAndColourIsRefused() throws Exception {
        List<float[]> px = pages(6, 4, 1, 8, 1, 5);
        Path f = Files.write(dir.resolve("rgb.tif"), new TiffBuilder().samples(3).build(6, 4, px));
        assertArrayEquals(px.get(0), Volumes.load(f).sliceView(0), 0f);
        byte[] bytes = Files.readAllBytes(f);
        bytes[8 + 4] ^= 0x01; // the green sample of pixel 2 (pixel data starts at byte 8)
        Path colour = Files.write(dir.resolve("colour.tif"), bytes);
        DataException e = assertThrows(DataException.class, () -> Volumes.load(colour));
        assertTrue(e.getMessage().contains("RGB colour"), e.getMessage());
    }

    @Test
    void truncatedPlainMultiPageTiffIsAnErrorNotFewerSlices() throws Exception {
        List<float[]> px = pages(16, 16, 8, 8, 1, 1);
        byte[] full = new TiffBuilder().build(16, 16, px);
        for (int cut : new int[] {full.length - 1, full.length / 2, 300}) {
            Path f = Files.write(dir.resolve("cut.tif"), Arrays.copyOf(full, cut));
            DataException e = assertThrows(DataException.class, () -> Volumes.load(f));
            assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        }
        // our own writer's layout (ImageJ: one contiguous block, description images=8)
        Path ours = dir.resolve("ours.tif");
        TiffWriter.write(ours, new ArrayVolume(new StackInfo(16, 16, 8, PixelType.U8, Calibration.NONE), px));
        byte[] b = Files.readAllBytes(ours);
        Path cut = Files.write(dir.resolve("ours-cut.tif"), Arrays.copyOf(b, 600)); // slice 1 (bytes 254..510) complete
        DataException e = assertThrows(DataException.class, () -> Volumes.open(cut));
        assertTrue(e.getMessage().contains("holds 1 of 8 slices"), e.getMessage());
    }

    @Test
    void truncatedOrCorruptCompressedStripsAreErrorsNamingThePageAndStrip() throws Exception {
        List<float[]> px = pages(32, 8, 2, 8, 1, 2);
        for (int c : new int[] {5, 8, 32773}) {
            TiffBuilder b = new TiffBuilder().compression(c);
            byte[] file = b.build(32, 8, px);
            int[] strip = b.stripRanges.get(1); // page 2's only strip
            // shorten the strip: its byte count says fewer bytes
            byte[] shortened = file.clone();
            int countAt = findStripByteCount(b, shortened, 1, strip[1] - strip[0]);
            java.nio.ByteBuffer.wrap(shortened).order(ByteOrder.LITTLE_ENDIAN).putInt(countAt, (strip[1] - strip[0]) / 2);
            Path f = Files.write(dir.resolve("short" + c + ".tif"), shortened);
            DataException e = assertThrows(DataException.class, () -> Volumes.load(f));
            assertTrue(e.getMessage().contains("page 2, strip 1") && e.getMessage().contains("ends"), e.getMessage());
        }
        // a Deflate stream with flipped data fails its checksum
        TiffBuilder b = new TiffBuilder().compression(8);
        byte[] file = b.build(32, 8, px);
        int[] strip = b.stripRanges.get(0);
        file[(strip[0] + strip[1]) / 2] ^= (byte) 0xFF;
        Path f = Files.write(dir.resolve("flip.tif"), file);
        DataException e = assertThrows(DataException.class, () -> Volumes.load(f));
        assertTrue(e.getMessage().contains("page 1, strip 1") && e.getMessage().contains("Deflate"), e.getMessage());
    }

    private static int findStripByteCount(TiffBuilder b, byte[] file, int page, int count) {
        var bb = java.nio.ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int[] ifd = b.ifdRanges.get(page);
        for (int p = ifd[0] + 2; p < ifd[1] - 4; p += 12) {
            if ((bb.getShort(p) & 0xffff) == 279) {
                assertEquals(count, bb.getInt(p + 8));
                return p + 8;
            }
        }
        throw new AssertionError("no StripByteCounts");
    }

    @Test
    void oneBitMaskReadsAs0And255() throws Exception {
        List<float[]> px = pages(13, 7, 2, 1, 1, 9);
        Path f = Files.write(dir.resolve("bit.tif"), new TiffBuilder().bits(1, 1).build(13, 7, px));
        ArrayVolume v = Volumes.load(f);
        assertEquals(PixelType.U8, v.info().type());
        assertArrayEquals(px.get(1), v.sliceView(1), 0f);
    }

    @Test
    void unsupportedCompressionsAreNamed() throws Exception {
        Path f = Files.write(dir.resolve("jpeg.tif"), new TiffBuilder().compression(7).build(8, 8, pages(8, 8, 1, 8, 1, 1)));
        DataException e = assertThrows(DataException.class, () -> Volumes.open(f));
        assertTrue(e.getMessage().contains("JPEG-compressed TIFF (compression 7) is not supported"), e.getMessage());
    }

    @Test
    void hyperstackWithChannelsIsRefused() throws Exception {
        TiffBuilder b = new TiffBuilder().imageJ("ImageJ=1.54f\nimages=4\nchannels=2\nslices=2\nhyperstack=true\n", true);
        Path f = Files.write(dir.resolve("hyper.tif"), b.build(4, 4, pages(4, 4, 4, 8, 1, 1)));
        DataException e = assertThrows(DataException.class, () -> Volumes.open(f));
        assertTrue(e.getMessage().contains("2 channels of 2 slices"), e.getMessage());
    }
}

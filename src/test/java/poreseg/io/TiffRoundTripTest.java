package poreseg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.measure.Calibration;
import ij.process.ShortProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class TiffRoundTripTest {
    @TempDir
    Path dir;

    static ArrayVolume random(PixelType type, int w, int h, int d, poreseg.io.Calibration cal, long seed) {
        Random r = new Random(seed);
        List<float[]> slices = new ArrayList<>();
        for (int z = 0; z < d; z++) {
            float[] s = new float[w * h];
            for (int i = 0; i < s.length; i++) {
                s[i] = switch (type) {
                    case U8 -> r.nextInt(256);
                    case U16 -> r.nextInt(65536);
                    case F32 -> (float) (r.nextGaussian() * 1e3);
                };
            }
            slices.add(s);
        }
        return new ArrayVolume(new StackInfo(w, h, d, type, cal), slices);
    }

    @ParameterizedTest
    @CsvSource({"U8,1", "U8,7", "U16,1", "U16,5", "F32,1", "F32,4"})
    void roundTripKeepsEveryValueAndTheCalibration(PixelType type, int depth) throws Exception {
        poreseg.io.Calibration cal = new poreseg.io.Calibration(9, 9.5, 15, "nm");
        ArrayVolume v = random(type, 37, 23, depth, cal, 42);
        Path f = dir.resolve("rt.tif");
        TiffWriter.write(f, v);
        try (Volume back = Volumes.open(f)) {
            assertEquals(v.info(), back.info());
            for (int z = 0; z < depth; z++) {
                assertArrayEquals(v.sliceView(z), back.slice(z), 0f, "slice " + z);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(PixelType.class)
    void stacksPast4GiBAreWrittenAsBigTiff(PixelType type) throws Exception {
        long old = TiffWriter.bigTiffAbove;
        TiffWriter.bigTiffAbove = 1000; // as if 1000 bytes were 4 GiB
        try {
            poreseg.io.Calibration cal = new poreseg.io.Calibration(9, 9, 15, "nm");
            ArrayVolume v = random(type, 13, 7, 5, cal, 3);
            Path f = dir.resolve("big.tif");
            TiffWriter.write(f, v);
            byte[] b = Files.readAllBytes(f);
            assertEquals(43, b[2]);
            try (Volume back = Volumes.open(f)) {
                assertEquals(v.info(), back.info());
                for (int z = 0; z < 5; z++) {
                    assertArrayEquals(v.sliceView(z), back.slice(z), 0f);
                }
            }
            Path small = dir.resolve("small.tif");
            TiffWriter.write(small, random(type, 4, 4, 1, cal, 3));
            assertEquals(42, Files.readAllBytes(small)[2]);
        } finally {
            TiffWriter.bigTiffAbove = old;
        }
    }

    @Test
    void integerTypesRoundAndClamp() throws Exception {
        StackInfo info = new StackInfo(4, 1, 1, PixelType.U8, poreseg.io.Calibration.NONE);
        Path f = dir.resolve("clamp.tif");
        TiffWriter.write(f, new ArrayVolume(info, List.of(new float[] {-5f, 1.6f, 254.4f, 300f})));
        assertArrayEquals(new float[] {0, 2, 254, 255}, Volumes.load(f).slice(0), 0f);
    }

    @Test
    void bytesAreWhatClampGivesForEveryKindOfValue() throws Exception {
        // the 8-bit encoder's shortcut for whole numbers must agree with PixelType.clamp everywhere
        float[] v = {Float.NaN, -0f, 0f, 0.49999997f, 0.5f, 1f, 2.5f, 3.5f, 127f, 254.5f, 255f, 255.49998f, 255.5f, 256f, 300f, -1f,
            -0.4f, 1e10f, -1e10f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 2147483648f,
            -2147483648f, Float.MIN_VALUE};
        StackInfo info = new StackInfo(v.length, 1, 1, PixelType.U8, poreseg.io.Calibration.NONE);
        Path f = dir.resolve("every.tif");
        TiffWriter.write(f, new ArrayVolume(info, List.of(v)));
        float[] expected = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            expected[i] = PixelType.U8.clamp(v[i]);
        }
        assertArrayEquals(expected, Volumes.load(f).slice(0), 0f);
    }

    @ParameterizedTest
    @EnumSource(PixelType.class)
    void imageJReadsOurCalibration(PixelType type) throws Exception {
        poreseg.io.Calibration cal = new poreseg.io.Calibration(9, 9, 15, "nm");
        Path f = dir.resolve("cal.tif");
        TiffWriter.write(f, random(type, 16, 12, 3, cal, 1));
        ImagePlus imp = new Opener().openImage(f.toString());
        Calibration c = imp.getCalibration();
        assertEquals(3, imp.getStackSize());
        assertEquals(type.bits(), imp.getBitDepth());
        assertEquals(9, c.pixelWidth, 1e-9);
        assertEquals(9, c.pixelHeight, 1e-9);
        assertEquals(15, c.pixelDepth, 1e-9);
        assertEquals("nm", c.getUnit());
    }

    @Test
    void micronIsWrittenTheImageJWayAndReadBackAsUm() throws Exception {
        Path f = dir.resolve("um.tif");
        TiffWriter.write(f, random(PixelType.U8, 8, 8, 2, new poreseg.io.Calibration(0.009, 0.009, 0.015, "\u00b5m"), 1));
        ImagePlus imp = new Opener().openImage(f.toString());
        assertEquals("micron", imp.getCalibration().getUnit()); // ImageJ's own spelling of um
        assertEquals(0.015, imp.getCalibration().pixelDepth, 1e-12);
        StackInfo back = Volumes.open(f).info();
        assertEquals(new poreseg.io.Calibration(0.009, 0.009, 0.015, "um"), back.calibration());
    }

    @Test
    void readsAStackWrittenByImageJ() throws Exception {
        ImageStack st = new ImageStack(10, 6);
        for (int z = 0; z < 3; z++) {
            short[] px = new short[60];
            for (int i = 0; i < 60; i++) {
                px[i] = (short) (1000 * z + i);
            }
            st.addSlice(new ShortProcessor(10, 6, px, null));
        }
        ImagePlus imp = new ImagePlus("fiji", st);
        Calibration c = imp.getCalibration();
        c.pixelWidth = 12.5;
        c.pixelHeight = 12.5;
        c.pixelDepth = 20;
        c.setUnit("nm");
        Path f = dir.resolve("fiji.tif");
        new FileSaver(imp).saveAsTiffStack(f.toString());
        try (Volume v = Volumes.open(f)) {
            assertEquals(new StackInfo(10, 6, 3, PixelType.U16, new poreseg.io.Calibration(12.5, 12.5, 20, "nm")), v.info());
            assertEquals(2059, v.slice(2)[59]);
        }
    }

    @Test
    void outputIsWrittenAtomicallyWithoutLeftovers() throws Exception {
        Path f = dir.resolve("a.tif");
        StackInfo info = new StackInfo(8, 8, 3, PixelType.U8, poreseg.io.Calibration.NONE);
        assertThrows(java.io.IOException.class, () -> TiffWriter.write(f, info, z -> {
            if (z == 2) {
                throw new java.io.IOException("boom");
            }
            return new float[64];
        }, poreseg.util.ProgressListener.NONE));
        assertFalse(Files.exists(f));
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count(), "temporary file left behind");
        }
    }

    @Test
    void outputsAreWorldReadableLikeOrdinaryFiles() throws Exception {
        Path f = dir.resolve("perm.tif");
        TiffWriter.write(f, random(PixelType.U8, 4, 4, 1, poreseg.io.Calibration.NONE, 1));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }
}

package poreseg.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.io.Volumes;
import poreseg.util.ProgressListener;

class StackSegmentationTest {
    @TempDir
    Path tmp;

    @Test
    void flatAndSaturatedSlicesAreNamedAndTheIntervalHoldsThePorosity() throws Exception {
        int s = 32;
        List<float[]> slices = new ArrayList<>();
        float[] textured = new float[s * s];
        for (int i = 0; i < textured.length; i++) {
            textured[i] = 60 + (i * 37 % 101);
        }
        float[] flat = new float[s * s];
        Arrays.fill(flat, 90);
        float[] saturated = textured.clone();
        Arrays.fill(saturated, 0, s * s / 2, 255);
        slices.add(textured);
        slices.add(flat);
        slices.add(saturated);
        Volume v = new ArrayVolume(new StackInfo(s, s, 3, PixelType.U8, Calibration.NONE), slices, "test stack");
        try (Network net = Network.create(new Architecture("unet", 2, 1), 3)) {
            net.info().tile = 32;
            net.info().overlap = 0;
            Segmenter seg = new Segmenter(net, 32, 0, 2);
            Path mask = tmp.resolve("m.tif");
            StackSegmentation.Result r = StackSegmentation.run(v, seg, 0.5, mask, null, tmp.resolve("u.tif"), ProgressListener.NONE);
            assertEquals(2, r.warnings().size(), r.warnings().toString());
            assertTrue(r.warnings().get(0).startsWith("slice 2 of 3 is constant"), r.warnings().get(0));
            assertTrue(r.warnings().get(1).startsWith("slice 3 of 3 is saturated (50 %"), r.warnings().get(1));
            double[] iv = r.interval();
            assertTrue(iv[0] <= r.porosity() && r.porosity() <= iv[1]);
            try (Volume m = Volumes.open(mask)) {
                long pores = 0;
                for (int z = 0; z < 3; z++) {
                    for (float x : m.slice(z)) {
                        pores += x > 0 ? 1 : 0;
                    }
                }
                assertEquals(r.pores(), pores, "the mask written is the one counted");
                for (float x : m.slice(1)) {
                    assertEquals(0f, x, "a flat slice gets no pores, not a mask of noise");
                }
                assertEquals(0.0, r.slicePorosity()[1]);
                assertEquals(0.0, r.sliceLow()[1]);
                assertEquals(1.0, r.sliceHigh()[1], "the flat slice's interval spans it whole");
            }
        }
        assertNull(StackSegmentation.contrastWarning(textured, null, PixelType.U8, 0, 1));
        float[] black = textured.clone();
        Arrays.fill(black, 0, s * s / 2, 0);
        assertNull(StackSegmentation.contrastWarning(black, null, PixelType.U8, 0, 1), "a black background is not saturation");
    }

    @Test
    void anEnsemblesUncertaintyIsTheLargerOfDoubtAndTheMembersSpread() throws Exception {
        int s = 32;
        float[] raw = new float[s * s];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = 60 + (i * 37 % 101);
        }
        StackInfo info = new StackInfo(s, s, 1, PixelType.U8, Calibration.NONE);
        try (Network a = Network.create(new Architecture("unet", 2, 1), 3); Network b = Network.create(new Architecture("unet", 2, 1), 4)) {
            float[] pa = new Segmenter(a, 32, 0, 1).predict(raw, info, 0.5).probability();
            float[] pb = new Segmenter(b, 32, 0, 1).predict(raw, info, 0.5).probability();
            Segmenter.Prediction both = new Segmenter(List.of(a, b), 32, 0, 1).predict(raw, info, 0.5);
            float[] p = both.probability();
            float[] u = both.uncertainty();
            double spread = 0;
            for (int i = 0; i < raw.length; i++) {
                assertEquals((pa[i] + pb[i]) * 0.5f, p[i], 0f, "the members' mean");
                float sure = 1 - Math.abs(2 * p[i] - 1);
                assertEquals(Math.max(sure, Math.abs(pa[i] - pb[i])), u[i], 0f, "pixel " + i);
                spread = Math.max(spread, Math.abs(pa[i] - pb[i]));
            }
            assertTrue(spread > 0, "the two members differ");
            assertTrue(both.uncertainty() == u, "computed once");
            Segmenter.Prediction one = new Segmenter(a, 32, 0, 1).predict(raw, info, 0.5);
            for (int i = 0; i < raw.length; i++) {
                assertEquals(1 - Math.abs(2 * pa[i] - 1), one.uncertainty()[i], 0f);
            }
        }
    }

    @Test
    void anInstrumentDataBarIsNamedOnceUnlessTheRoiLeavesItOut() throws Exception {
        int w = 64;
        int h = 64;
        List<float[]> slices = new ArrayList<>();
        for (int z = 0; z < 3; z++) {
            float[] a = new float[w * h];
            for (int i = 0; i < a.length; i++) {
                a[i] = 60 + ((i * 37 + z * 11) % 101);
            }
            for (int y = 52; y < h; y++) { // a black bar of 12 rows with white "text"
                for (int x = 0; x < w; x++) {
                    a[y * w + x] = y >= 55 && y < 61 && x >= 4 && x < 40 && (x % 4) < 2 ? 255 : 0;
                }
            }
            slices.add(a);
        }
        Volume v = new ArrayVolume(new StackInfo(w, h, 3, PixelType.U8, Calibration.NONE), slices, "bar stack");
        try (Network net = Network.create(new Architecture("unet", 2, 1), 3)) {
            Segmenter seg = new Segmenter(net, 64, 0, 1);
            StackSegmentation.Result r = StackSegmentation.run(v, seg, 0.5, tmp.resolve("m.tif"), null, null, ProgressListener.NONE);
            List<String> bars = r.warnings().stream().filter(x -> x.contains("data bar")).toList();
            assertEquals(1, bars.size(), r.warnings().toString());
            assertTrue(bars.get(0).startsWith("slice 1 of 3: its bottom 12 rows (52-63) look like an instrument data bar (a uniform 0 band"),
                    bars.get(0));
            assertEquals(bars.get(0), r.dataBarWarning());
            assertTrue(r.contrastWarnings().stream().noneMatch(x -> x.contains("data bar")), "a bar is no contrast problem");
            List<float[]> roi = new ArrayList<>();
            for (int z = 0; z < 3; z++) {
                float[] m = new float[w * h];
                Arrays.fill(m, 0, 50 * w, 255);
                roi.add(m);
            }
            Volume inside = new ArrayVolume(v.info(), roi, "roi");
            StackSegmentation.Result r2 = StackSegmentation.run(v, seg, 0.5, tmp.resolve("m2.tif"), null, null, inside,
                    StackSegmentation.Pipelining.FASTEST, ProgressListener.NONE);
            assertTrue(r2.warnings().stream().noneMatch(x -> x.contains("data bar")), r2.warnings().toString());
            assertNull(r2.dataBarWarning());
        }
    }

    private static Volume stack(int w, int h, int depth, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        List<float[]> slices = new ArrayList<>();
        for (int z = 0; z < depth; z++) {
            float[] a = new float[w * h];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (40 + 120 * r.nextDouble() + ((i % w) / 8 + (i / w) / 8 + z) % 2 * 60);
            }
            slices.add(a);
        }
        return new ArrayVolume(new StackInfo(w, h, depth, PixelType.U8, Calibration.NONE), slices, "test stack");
    }

    @Test
    void thePipelineGivesTheNumbersAndMasksOfSliceBySlicePrediction() throws Exception {
        Volume v = stack(40, 32, 7, 4);
        float[] ring = new float[40 * 32];
        for (int i = 0; i < ring.length; i++) {
            ring[i] = (i % 40) < 20 ? 1 : 0;
        }
        List<float[]> roiSlices = new ArrayList<>();
        for (int z = 0; z < 7; z++) {
            roiSlices.add(ring);
        }
        Volume roi = new ArrayVolume(v.info(), roiSlices, "roi");
        try (Network net = Network.create(new Architecture("unet", 4, 2), 5)) {
            Segmenter seg = new Segmenter(net, 64, 16, 3);
            assertEquals(3, seg.slicesPerPass(40, 32));
            StackSegmentation.Result reference = StackSegmentation.run(v, (z, raw, info, t) -> seg.predict(raw, info, t), 0.5,
                    tmp.resolve("ref.tif"), tmp.resolve("ref-p.tif"), null, roi, ProgressListener.NONE);
            StackSegmentation.Result perSlice = StackSegmentation.run(v, seg, 0.5, tmp.resolve("one.tif"), tmp.resolve("one-p.tif"), null, roi,
                    StackSegmentation.Pipelining.PER_SLICE, ProgressListener.NONE);
            StackSegmentation.Result fastest = StackSegmentation.run(v, seg, 0.5, tmp.resolve("fast.tif"), tmp.resolve("fast-p.tif"), null, roi,
                    StackSegmentation.Pipelining.FASTEST, ProgressListener.NONE);
            assertEquals(reference.pores(), perSlice.pores());
            assertEquals(reference.low(), perSlice.low());
            assertEquals(reference.high(), perSlice.high());
            assertTrue(Arrays.equals(java.nio.file.Files.readAllBytes(tmp.resolve("ref-p.tif")), java.nio.file.Files.readAllBytes(tmp.resolve("one-p.tif"))),
                    "pipelined slice by slice: the same bytes");
            assertEquals(reference.pores(), fastest.pores(), "slices run together: the same pores inside the ROI");
            assertEquals(reference.voxels(), fastest.voxels());
            try (Volume a = Volumes.open(tmp.resolve("ref-p.tif")); Volume b = Volumes.open(tmp.resolve("fast-p.tif"))) {
                for (int z = 0; z < 7; z++) {
                    float[] pa = a.slice(z);
                    float[] pb = b.slice(z);
                    for (int i = 0; i < pa.length; i++) {
                        if (ring[i] != 0) {
                            assertEquals(pa[i], pb[i], 1e-6f, "slice " + z + " pixel " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aSliceThatCannotBeReadFailsTheRunAndLeavesNoOutput() throws Exception {
        Volume good = stack(32, 32, 6, 5);
        Volume broken = new Volume() {
            @Override
            public StackInfo info() {
                return good.info();
            }

            @Override
            public String source() {
                return "broken.tif";
            }

            @Override
            public float[] slice(int z) throws java.io.IOException {
                if (z == 4) {
                    throw new java.io.IOException("broken.tif: slice 5 is truncated");
                }
                return good.slice(z);
            }
        };
        try (Network net = Network.create(new Architecture("unet", 4, 1), 6)) {
            Segmenter seg = new Segmenter(net, 32, 0, 2);
            Path mask = tmp.resolve("broken-mask.tif");
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> StackSegmentation.run(v(broken), seg, 0.5, mask, tmp.resolve("bp.tif"), null, ProgressListener.NONE));
            assertTrue(e.getMessage().contains("slice 5 is truncated"), e.getMessage());
            assertTrue(!java.nio.file.Files.exists(mask) && !java.nio.file.Files.exists(tmp.resolve("bp.tif")), "no partial output");
        }
    }

    private static Volume v(Volume x) {
        return x;
    }

    /**
     * Multi-scale inference averages the single-scale probabilities (each enlarged back to the slice),
     * ROI pixels keep the values of a full multi-scale run when tiles outside the ROI are skipped,
     * and bad factors are refused.
     */
    @Test
    void multiScaleAveragesTheScalesAndKeepsRoiPixelsExact() throws Exception {
        int w = 96;
        int h = 80;
        float[] raw = stripes(w, h, 4, 80, 120, 40, true);
        StackInfo info = new StackInfo(w, h, 1, PixelType.U8, Calibration.NONE);
        try (Network net = Network.create(new Architecture("unet", 4, 2), 5)) {
            Segmenter seg = new Segmenter(net, 64, 16, 3);
            float[] p1 = seg.predict(raw, info, 0.5).probability();
            float[] p2 = seg.scales(new int[] {2}).predict(raw, info, 0.5).probability();
            float[] both = seg.scales(new int[] {1, 2}).predict(raw, info, 0.5).probability();
            assertArrayEquals(new int[] {1, 2}, seg.scales());
            double maxDiff = 0;
            for (int i = 0; i < both.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(both[i] - (p1[i] + p2[i]) * 0.5f));
            }
            assertTrue(maxDiff < 1e-6, "max difference " + maxDiff);
            assertTrue(Arrays.equals(p1, seg.scales(new int[] {1}).predict(raw, info, 0.5).probability()), "scale 1 alone is the plain run");
            // ROI: the left third; tiles beyond it are skipped at both scales
            float[] roi = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w / 3; x++) {
                    roi[y * w + x] = 1;
                }
            }
            seg.scales(new int[] {1, 2});
            float[] skipped = seg.predict(List.of(seg.input(raw, info)), w, h, 0.5, List.of(roi)).get(0).probability();
            for (int i = 0; i < roi.length; i++) {
                if (roi[i] != 0) {
                    assertEquals(both[i], skipped[i], 0f, "ROI pixel " + i);
                }
            }
            for (int[] bad : new int[][] {{}, {0}, {1, 1}, {Segmenter.MAX_SCALE + 1}}) {
                assertThrows(poreseg.util.ParameterException.class, () -> seg.scales(bad));
            }
            // adaptive: a slice whose native mean confidence is below the bar gets the average of both
            // scales, one above it exactly the single-scale result
            double c = 0;
            for (float q : p1) {
                c += Math.abs(2 * q - 1);
            }
            c /= p1.length;
            float[] unsure = seg.scales(new int[] {2, 1}, Math.min(1.0, c + 1e-3)).predict(raw, info, 0.5).probability();
            assertArrayEquals(new int[] {1, 2}, seg.scales(), "the native scale first");
            assertArrayEquals(both, unsure, 1e-6f);
            float[] sure = seg.scales(new int[] {1, 2}, c - 1e-3).predict(raw, info, 0.5).probability();
            assertTrue(Arrays.equals(p1, sure), "confident enough: the single-scale result, bit for bit");
            assertThrows(poreseg.util.ParameterException.class, () -> seg.scales(new int[] {2, 4}, 0.9));
            assertThrows(poreseg.util.ParameterException.class, () -> seg.scales(new int[] {1, 4}, 0.0));
        }
    }

    /** Scale selection's rule on porosities at scales finest to coarsest (the cases of docs/net.md). */
    @Test
    void scaleSelectionKeepsTheFinestScaleWhosePorosityTheNextCoarserConfirms() {
        double nan = Double.NaN;
        // the network's own pixel size: scale 1 and 2 agree
        assertEquals(0, MultiScale.select(new double[] {0.167, 0.164, 0.169, 0.182}, 0.2));
        // pores 3x larger than in training: scale 1 misses their interiors, 2 and 3 agree
        assertEquals(1, MultiScale.select(new double[] {0.078, 0.170, 0.167, 0.166}, 0.2));
        // noise answered at scale 1, pores too small at 2, 3 and 4 agree
        assertEquals(2, MultiScale.select(new double[] {0.313, 0.064, 0.179, 0.179}, 0.2));
        // nothing agrees: scale 1
        assertEquals(0, MultiScale.select(new double[] {0.05, 0.15, 0.40, 0.90}, 0.2));
        // a scale too small to run is skipped; near-empty slices agree by the absolute margin
        assertEquals(1, MultiScale.select(new double[] {0.30, 0.10, nan, 0.11}, 0.2));
        assertEquals(0, MultiScale.select(new double[] {0.003, 0.012}, 0.2));
        assertTrue(MultiScale.agree(0.184, 0.204, 0.2) && !MultiScale.agree(0.1, 0.2, 0.2));
        // the default tolerance, 0.1: pores 2x larger than in training (0.222 at scale 1, 0.254 at 2) take scale 2
        assertEquals(1, MultiScale.select(new double[] {0.222, 0.254, 0.249, 0.248}, Segmenter.AUTO_TOLERANCE));
        assertEquals(0, MultiScale.select(new double[] {0.222, 0.254, 0.249, 0.248}, 0.3));
        // 2x larger pores on a small slice move the porosity by 9 %: within 10 %, but 2, 3 and 4 agree within 5 %
        assertEquals(1, MultiScale.select(new double[] {0.234, 0.256, 0.253, 0.254}, Segmenter.AUTO_TOLERANCE));
        // no pair within 10 % (a 256x256 crop of membrane 1.tif: 15 % and 13 %): the finest within 20 %
        assertEquals(1, MultiScale.select(new double[] {0.367, 0.193, 0.164, 0.188}, 0.1));
        // a pair within 10 % wins over a finer one within 20 %
        assertEquals(2, MultiScale.select(new double[] {0.40, 0.17, 0.20, 0.205}, 0.1));
    }

    /** Two plateaus: the coarser replaces the finer where its porosity is 1.5x or more (docs/net.md). */
    @Test
    void scaleSelectionLeavesARimsOnlyPlateau() {
        // factors 1, 2, 3, 4, 6, 8; pores 9x larger than in training (the fixed model at 1 nm):
        // scales 1 and 2 see only the rims and agree on 0.11, scales 6 and 8 on the true 0.26
        double[] rims = {0.109, 0.115, 0.146, 0.225, 0.259, 0.257};
        assertEquals(4, MultiScale.select(rims, Segmenter.AUTO_TOLERANCE));
        // a coarser plateau only 1.14x the finer (pores 2.6x larger, 10 % porosity; scale 2 is right)
        assertEquals(1, MultiScale.select(new double[] {0.062, 0.098, 0.097, 0.100, 0.114, 0.110}, Segmenter.AUTO_TOLERANCE));
        // just below and above the jump
        assertEquals(0, MultiScale.select(new double[] {0.20, 0.20, 0.25, 0.29, 0.29}, Segmenter.AUTO_TOLERANCE));
        assertEquals(3, MultiScale.select(new double[] {0.20, 0.20, 0.25, 0.31, 0.31}, Segmenter.AUTO_TOLERANCE));
        // the jump is taken from the plateau kept so far, coarser and coarser
        assertEquals(4, MultiScale.select(new double[] {0.05, 0.05, 0.08, 0.08, 0.13, 0.13}, Segmenter.AUTO_TOLERANCE));
        // at the loosest level (20 %) a steady rise chains into plateaus, so none replaces the finest
        // (the quick demo's 128x128 slices at their native scale)
        assertEquals(0, MultiScale.select(new double[] {0.072, 0.085, 0.115, 0.141, 0.171, 0.241}, Segmenter.AUTO_TOLERANCE));
        // a single 256x256 slice at its native scale: factors 6 and 8 (42 and 32 px) agree on 1.55x the
        // porosity of 1 and 2; too small to replace them (the same porosities on a 1152x1152 slice would)
        double[] small = {0.076, 0.076, 0.091, 0.108, 0.121, 0.114};
        int[] f = {1, 2, 3, 4, 6, 8}; // the factors before 12 and 16
        assertEquals(0, MultiScale.select(small, Segmenter.AUTO_TOLERANCE, f, 256, 256));
        assertEquals(4, MultiScale.select(small, Segmenter.AUTO_TOLERANCE, f, 1152, 1152));
        assertEquals(4, MultiScale.select(rims, Segmenter.AUTO_TOLERANCE, f, 1152, 1152));
        assertEquals(3, MultiScale.select(new double[] {0.029, 0.030, 0.056, 0.089, 0.096, 0.095}, Segmenter.AUTO_TOLERANCE, f, 1152, 1152),
                "a plateau from factor 4 on (288 px) may");
        // factors too large for the slice (NaN) are skipped inside a plateau
        assertEquals(4, MultiScale.select(new double[] {0.109, 0.115, 0.146, 0.225, 0.259, Double.NaN, 0.257}, Segmenter.AUTO_TOLERANCE));
    }

    /**
     * Factors 12 and 16 (eleventh session): pores 9x larger than in training whose back walls shine
     * through bright (the fixed model at 1 nm with wallGain 1.3 or 0.9) rise steadily up to factor 8
     * and only settle at 12-16, which the jump then takes; native-scale 1536-2048 px stacks, whose
     * coarse factors drift too, keep factor 1, and without a jump the choice is the one among 1-8. The
     * porosities are those segment --json reported for these stacks (docs/net.md).
     */
    @Test
    void scaleSelectionReachesFactorsTwelveAndSixteen() {
        int[] f = REDUCTIONS;
        // wallGain 1.3 at 1 nm, 1152 px: only the rims up to factor 3, then a steady rise, a plateau from 8 on
        double[] bright = {0.014, 0.017, 0.024, 0.037, 0.083, 0.111, 0.118, 0.120};
        assertEquals(5, MultiScale.select(bright, Segmenter.AUTO_TOLERANCE, f, 1152, 1152));
        // without 12 and 16 no coarser plateau forms and factor 1 (F1 0.16 instead of 0.78) was kept
        assertEquals(0, MultiScale.select(java.util.Arrays.copyOf(bright, 6), Segmenter.AUTO_TOLERANCE,
                java.util.Arrays.copyOf(f, 6), 1152, 1152));
        // the same porosities on a slice too small for factor 8 to replace finer ones (384 / 8 = 48 px)
        assertEquals(0, MultiScale.select(bright, Segmenter.AUTO_TOLERANCE, f, 384, 384));
        // wallGain 1.3 at 1 nm, porosity 0.26: 12 and 16 agree on 5.5x the rims-only plateau
        assertScale(6, 1152, 1152, 0.0297, 0.0287, 0.0314, 0.0434, 0.0943, 0.1503, 0.1631, 0.1567);
        // native scale (9 nm, 2048 px): 8 and 12 agree on 1.31x the porosity of 1-4, below the jump
        assertScale(0, 2048, 2048, 0.254, 0.244, 0.244, 0.255, 0.287, 0.323, 0.329, 0.244);
        // 6 nm, 1536 px: a steady rise from factor 6 on, no coarser pair within 5 %
        assertScale(0, 1536, 1536, 0.215, 0.212, 0.209, 0.211, 0.224, 0.241, 0.280, 0.307);
        // 12 and 16 act only through the jump: a real 1024x768 FIB-SEM stack (EPFL) rising steadily, where 8,
        // 12 and 16 agree within 5 % and no finer pair does, keeps the choice among 1-8 (factor 3, the
        // plateau 3-8 at 10 %)
        assertScale(2, 1024, 768, 0.030, 0.333, 0.438, 0.474, 0.519, 0.556, 0.577, 0.582);
        // 512 px slices (wallGain 0.9 at 1 nm): 8, 12 and 16 agree on 2.3x the plateau of 1-3, and factor 8
        // leaves 64 px, so the jump is taken; with wallGain 1.3 only 12 and 16 agree, and 12 leaves 42 px
        assertScale(5, 512, 512, 0.100, 0.099, 0.105, 0.142, 0.197, 0.231, 0.231, 0.221);
        assertScale(0, 512, 512, 0.039, 0.040, 0.045, 0.074, 0.112, 0.131, 0.158, 0.144);
        // no plateau among 1-8 at any level: factor 1, whatever 8 and 12 agree on (randomised stack 9306)
        assertScale(0, 1024, 1024, 0.001, 0.028, 0.067, 0.144, 0.207, 0.277, 0.301, 0.356);
    }

    /** The reduction factors of {@link Segmenter#AUTO_SCALES}. */
    private static final int[] REDUCTIONS = {1, 2, 3, 4, 6, 8, 12, 16};

    /**
     * The index of the factor selection over {@link #REDUCTIONS} keeps for these median porosities of a
     * w x h stack; the same choice over {@link Segmenter#AUTO_SCALES} where the enlargements did not run
     * (NaN), and where they ran and their porosity fell (pores at or above the training size).
     */
    private static void assertScale(int want, int w, int h, double... porosity) {
        String p = java.util.Arrays.toString(porosity);
        assertEquals(want, MultiScale.select(porosity, Segmenter.AUTO_TOLERANCE, REDUCTIONS, w, h), p);
        double[] all = new double[porosity.length + 2];
        System.arraycopy(porosity, 0, all, 2, porosity.length);
        all[0] = Double.NaN;
        all[1] = Double.NaN;
        assertEquals(want + 2, MultiScale.select(all, Segmenter.AUTO_TOLERANCE, Segmenter.AUTO_SCALES, w, h), "no enlargement: " + p);
        all[0] = porosity[0] * 0.4;
        all[1] = porosity[0] * 0.8;
        assertEquals(want + 2, MultiScale.select(all, Segmenter.AUTO_TOLERANCE, Segmenter.AUTO_SCALES, w, h), "porosity falls when enlarged: " + p);
    }

    /**
     * Enlargement (twelfth session): pores 2-4x smaller in pixels than in training (the fixed model at
     * 18-36 nm) keep their porosity as the slice is enlarged 2x and 3x, while reducing it over-calls
     * pores, so that the reductions chose factor 2 or 3 (F1 0.60-0.64); such stacks now run enlarged 2x
     * (0.90-0.96). Where pores are at or above the training size, enlarging shows only their rims:
     * the porosity falls when enlarged, or the reductions' choice has 1.8x or more of it, and the choice
     * stays. The porosities are those segment --json and the twelfth session's measurements gave
     * (docs/net.md, "Enlargement").
     */
    @Test
    void scaleSelectionEnlargesStacksWithSmallPores() {
        int[] f = Segmenter.AUTO_SCALES;
        assertArrayEquals(new int[] {-3, -2, 1, 2, 3, 4, 6, 8, 12, 16}, f);
        double nan = Double.NaN;
        // 27 nm, 160 px: the reductions' plateau 3-4 (0.40) is 1.5x the enlarged 0.26; enlarged 2x
        assertEnlarged(1, 160, 160, 0.253, 0.266, 0.294, 0.352, 0.398, 0.405, 0.362, 0.424, nan, nan);
        // 18 nm, 256 px: factor 1 already right (F1 0.93), enlarged 2x better (0.96)
        assertEnlarged(1, 256, 256, 0.234, 0.256, 0.253, 0.266, 0.297, 0.322, 0.354, 0.376, 0.377, 0.357);
        // 36 nm, 128 px: the reductions chose factor 2 (0.64); enlarged 2x 0.90
        assertEnlarged(1, 128, 128, 0.248, 0.273, 0.333, 0.405, 0.439, 0.464, 0.371, 0.202, nan, nan);
        // 9 nm, the training size: the porosity falls as soon as the slice is enlarged, factor 1 stays
        assertEnlarged(2, 256, 256, 0.107, 0.186, 0.254, 0.248, 0.254, 0.262, 0.285, 0.302, 0.344, 0.216);
        // 3 nm, pores 3x larger: enlarged 2x and 3x agree (both see rims), but the reductions' choice (factor 2,
        // 0.26) is 2x the enlarged porosity: it stays
        assertEnlarged(3, 384, 384, 0.121, 0.132, 0.136, 0.260, 0.257, 0.255, 0.255, 0.264, nan, nan);
        // 1 nm, pores 9x larger: enlarged 2x and 3x agree on the rims, the reductions' choice (factor 6) has 2x their porosity: it stays
        assertEnlarged(6, 1152, 1152, 0.118, 0.125, 0.108, 0.115, 0.152, 0.226, 0.258, 0.256, 0.26, 0.25);
        // nearly no pores: enlarged porosities within 0.01 of each other do not agree on their own (relative only)
        assertEnlarged(2, 256, 256, 0.006, 0.008, 0.008, 0.013, 0.019, 0.151, 0.461, 0.428, nan, nan);
        assertEnlarged(2, 256, 256, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, nan, nan, nan, nan);
    }

    /**
     * The pores' width at factor 1 vetoes the enlargement (fourteenth session, on the independent renderer
     * {@code scripts/fibsem_render.py}): where the network reads pores wider than about its training
     * data's, enlarging cannot bring them to their training size, though the enlarged porosities can agree
     * and stay within 1.6x of the reductions'. The porosities and widths are those segment --json and the
     * session's measurements gave (docs/net.md, "Enlargement").
     */
    @Test
    void widePoresAreNeverEnlarged() {
        int[] f = Segmenter.AUTO_SCALES;
        double tol = Segmenter.AUTO_TOLERANCE;
        // renderer seed 7, 256 px: pores read 11.7 px wide; F1 0.841 enlarged 2x, 0.925 at factor 1
        double[] r7 = {0.287, 0.289, 0.327, 0.337, 0.344, 0.345, 0.360, 0.381, 0.413, 0.431};
        assertEquals(1, MultiScale.select(r7, tol, f, 256, 256)); // porosities alone: enlarged
        assertEquals(1, MultiScale.select(r7, tol, f, 256, 256, Double.NaN)); // width unknown: no veto
        assertEquals(2, MultiScale.select(r7, tol, f, 256, 256, 11.7));
        assertEquals(1, MultiScale.select(r7, tol, f, 256, 256, 3.5));
        // renderer seed 2: 15.3 px; 0.885 enlarged, 0.963 at factor 2, the reductions' choice
        assertEquals(3, MultiScale.select(new double[] {0.228, 0.208, 0.185, 0.175, 0.178, 0.186, 0.198, 0.212, 0.237, 0.250}, tol, f, 256, 256, 15.3));
        // the fixed model at 18 nm (3.5 px), catalyst-stem (6.1) and sandstone-xrm (5.5): still enlarged
        assertEquals(1, MultiScale.select(new double[] {0.234, 0.256, 0.253, 0.266, 0.297, 0.322, 0.354, 0.376, 0.377, 0.357}, tol, f, 256, 256, 3.5));
        assertEquals(1, MultiScale.select(new double[] {0.877, 0.893, 0.921, 0.916, 0.886, 0.887, 0.885, 0.875, 0.863, 0.860}, tol, f, 512, 512, 6.1));
        assertEquals(1, MultiScale.select(new double[] {0.465, 0.486, 0.517, 0.530, 0.537, 0.541, 0.544, 0.544, 0.536, 0.521}, tol, f, 1024, 996, 5.5));
        // noise read as pores at factor 1 (renderer seed 22, 256 px, pores 3.9 px): the reductions chose factor 2,
        // 0.114 against 0.186 at factor 1; enlarged 0.677, at factor 2 0.870
        double[] r22 = {0.205, 0.204, 0.186, 0.114, 0.110, 0.105, 0.089, 0.083, 0.093, 0.221};
        assertTrue(MultiScale.noisyAtOne(r22, tol, f, 3));
        assertEquals(3, MultiScale.select(r22, tol, f, 256, 256, 3.9));
        // small pores go the other way (the reductions over-call): 18 nm, still enlarged, not noisy
        assertFalse(MultiScale.noisyAtOne(new double[] {0.234, 0.256, 0.253, 0.266, 0.297, 0.322, 0.354, 0.376, 0.377, 0.357}, tol, f, 3));
        // nothing past the reductions runs where the pores are too wide
        boolean[] known = new boolean[f.length];
        double[] reductionsOnly = r7.clone();
        for (int k = 0; k < f.length; k++) {
            known[k] = f[k] > 0;
            reductionsOnly[k] = f[k] > 0 ? r7[k] : Double.NaN;
        }
        assertEquals(-2, MultiScale.pending(reductionsOnly, known, tol, f, 256, 256, MultiScale.atOne(f, 3.5)));
        assertEquals(0, MultiScale.pending(reductionsOnly, known, tol, f, 256, 256, MultiScale.atOne(f, 11.7)));
        assertFalse(MultiScale.tooWide(MultiScale.MAX_ENLARGE_WIDTH));
        assertTrue(MultiScale.tooWide(Math.nextUp(MultiScale.MAX_ENLARGE_WIDTH)));
    }

    /**
     * A reduction under which the pores read narrower than {@link MultiScale#MIN_REDUCED_WIDTH} to the
     * network is not chosen (fifteenth session, on the independent renderer's hard look): the network
     * over-calls pores smaller than any it learned, porosity rises with the factor until coarse factors
     * agree on merged pores. The porosities and widths are those segment --json gave (docs/net.md).
     */
    @Test
    void narrowPoresAreNotReducedFurther() {
        int[] f = Segmenter.AUTO_SCALES;
        double tol = Segmenter.AUTO_TOLERANCE;
        double nan = Double.NaN;
        // renderer seed 205 (closed pores, hard look): factor 6 by porosity (F1 0.571), pores 2.3 px wide there;
        // factor 4 reads 2.66 px (F1 0.655; factor 1 0.882)
        double[] r208 = {nan, nan, 0.177, 0.224, 0.257, 0.290, 0.363, 0.380, 0.389, 0.480};
        assertNarrowed(6, 4, 256, new double[] {nan, nan, 0.150, 0.193, 0.222, 0.279, 0.347, 0.326, 0.287, 0.278},
                new double[] {nan, nan, 11.24, 4.85, 3.34, 2.66, 2.28, 2.24, 1.49, 1.42});
        // seed 208 (random field): factor 6 (0.558) -> 2 (0.727), the coarsest at least 2.5 px wide
        assertNarrowed(6, 2, 256, r208, new double[] {nan, nan, 4.55, 2.93, 2.29, 2.05, 1.82, 1.79, 1.36, 0.50});
        // seed 203: factor 3 (0.148, pores 2.0 px there; F1 0.729) -> 2 (0.163, within the tolerance; 2.65 px; F1 0.801)
        assertNarrowed(3, 2, 256, new double[] {nan, nan, 0.1940, 0.1633, 0.1481, 0.1450, 0.1339, 0.1034, 0.1056, 0.1462},
                new double[] {nan, nan, 4.13, 2.65, 2.02, 1.78, 1.55, 1.39, 1.49, 1.43});
        // a finer factor that calls more pores reads noise: randomised seed 9004 (16 nm, noisy), factor 1
        // calls 0.485 where factor 2 calls 0.263 (F1 0.58; factor 1 0.46): kept though 2.36 px wide
        assertNarrowed(2, 2, 512, new double[] {nan, nan, 0.485, 0.263, 0.250, 0.269, 0.264, 0.278, 0.367, 0.317},
                new double[] {nan, nan, 2.69, 2.36, 2.00, 1.85, 1.76, 1.76, 1.62, 1.46});
        // widths unknown (NaN) do not replace anything
        assertEquals(6, f[MultiScale.select(r208, tol, f, 256, 256, MultiScale.atOne(f, 4.55))]);
        // a jump (pores far larger than in training, the network sees their rims at the finer factors) is kept
        double[] bright = {0.01, 0.01, 0.0297, 0.0287, 0.0314, 0.0434, 0.0943, 0.1503, 0.1631, 0.1567};
        int jump = f[MultiScale.select(bright, tol, f, 1152, 1152)];
        assertTrue(jump >= 12);
        assertEquals(jump, f[MultiScale.select(bright, tol, f, 1152, 1152, new double[] {nan, nan, 1.0, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2})]);
        // every reduction narrow: factor 1 among the reductions (factor 2 by porosity), from which the
        // enlargement decides as ever (here: 1/2)
        double[] p = {0.29, 0.30, 0.20, 0.30, 0.31, 0.45, 0.55, 0.65, 0.75, 0.85};
        double[] w = {nan, nan, 3.5, 2.0, 1.5, 1.2, 1.0, 0.8, 0.6, 0.4};
        assertEquals(1, f[MultiScale.wideEnough(f, p, w, tol, 3)]);
        assertEquals(1, f[MultiScale.wideEnough(f, p, w, tol, 2)]); // factor 1 stays
        assertEquals(-2, f[MultiScale.select(p, tol, f, 512, 512, w)]);
    }

    /** The choice is factor {@code before} from the porosities alone, {@code after} with the widths per scale. */
    private static void assertNarrowed(int before, int after, int side, double[] porosity, double[] widths) {
        int[] f = Segmenter.AUTO_SCALES;
        double[] unknown = new double[f.length];
        Arrays.fill(unknown, Double.NaN);
        assertEquals(before, f[MultiScale.select(porosity, Segmenter.AUTO_TOLERANCE, f, side, side, unknown)], Arrays.toString(porosity));
        assertEquals(after, f[MultiScale.select(porosity, Segmenter.AUTO_TOLERANCE, f, side, side, widths)], Arrays.toString(widths));
    }

    /** The pores' width counts 4-connected components off the slice edges, of at least 16 pixels; a disk of radius r reads about r. */
    @Test
    void poreWidthOfDisksAndEdges() {
        int w = 200;
        int h = 120;
        byte[] mask = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean disk = (x - 60) * (x - 60) + (y - 60) * (y - 60) <= 20 * 20; // radius 20, off the edges
                boolean cut = (x - 190) * (x - 190) + (y - 60) * (y - 60) <= 30 * 30; // touches the right edge
                boolean tiny = x >= 120 && x < 123 && y >= 10 && y < 15; // 15 pixels
                mask[y * w + x] = (byte) (disk || cut || tiny ? 1 : 0);
            }
        }
        long[] a = PoreWidth.measure(mask, w, h, MultiScale.WIDTH_MIN_AREA);
        long diskPixels = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                diskPixels += (x - 60) * (x - 60) + (y - 60) * (y - 60) <= 20 * 20 ? 1 : 0;
            }
        }
        assertEquals(diskPixels, a[0]);
        assertEquals(20, MultiScale.poreWidth(a[0], a[1]), 1.0);
        // the tiny component counts with a smaller minimum: 15 more pixels, 16 more edges
        long[] b = PoreWidth.measure(mask, w, h, 15);
        assertEquals(a[0] + 15, b[0]);
        assertEquals(a[1] + 16, b[1]);
        assertArrayEquals(new long[] {0, 0}, PoreWidth.measure(new byte[w * h], w, h, 16));
        assertTrue(Double.isNaN(MultiScale.poreWidth(0, 0)));
    }

    /**
     * The enlargements run only where they can change the choice ({@link MultiScale#choose}): after the
     * reductions, 1/2 unless the choice was a jump, then 1/3 only where the choice's porosity is under
     * 1.6x the 1/2 one's, each stopping once its remaining slices cannot change the choice. The choice is
     * the one from every scale's medians, on 20,000 random stacks of 1-8 sample slices and on the cases
     * of the test above.
     */
    @Test
    void enlargementsRunOnlyWhereTheyCanChangeTheChoice() throws Exception {
        int[] f = Segmenter.AUTO_SCALES;
        java.util.Random rnd = new java.util.Random(13);
        int[] runs = new int[3];
        int stoppedEarly = 0;
        int vetoed = 0;
        int narrowed = 0;
        for (int t = 0; t < 20000; t++) {
            int side = new int[] {128, 256, 512, 1152}[rnd.nextInt(4)];
            double[] level = new double[f.length];
            double l = Math.exp(-1 - 3 * rnd.nextDouble());
            for (int k = 0; k < f.length; k++) {
                // porosities that drift and often agree (plateaus, jumps, enlargements that hold or fall)
                level[k] = rnd.nextInt(5) == 0 ? l * (0.3 + 1.5 * rnd.nextDouble()) : l * (1 + 0.08 * rnd.nextGaussian());
                l *= rnd.nextInt(3) == 0 ? 1 + rnd.nextDouble() : 1;
            }
            int slices = 1 + rnd.nextInt(8);
            double[][] per = new double[slices][f.length];
            for (double[] row : per) {
                for (int k = 0; k < f.length; k++) {
                    row[k] = Math.min(1, Math.max(0, level[k] * (1 + 0.1 * rnd.nextGaussian())));
                }
            }
            // a third without any pore width (unknown: no veto), the rest about 3-12 px wide at factor 1 and
            // about 1/f of that to the network at the reductions (0.7-1.3x, so narrower than MIN_REDUCED_WIDTH at some)
            long[][][] pores = null;
            if (rnd.nextInt(3) > 0) {
                pores = new long[slices][f.length][];
                double w = 3 * Math.pow(4, rnd.nextDouble());
                double[] spread = new double[f.length];
                for (int k = 0; k < f.length; k++) {
                    spread[k] = 0.7 + 0.6 * rnd.nextDouble();
                }
                for (int i = 0; i < slices; i++) {
                    for (int k = 0; k < f.length; k++) {
                        long perimeter = rnd.nextInt(5) == 0 || f[k] < 0 ? 0 : 100 + rnd.nextInt(2000);
                        double wk = f[k] == 1 ? w : w / f[k] * spread[k];
                        pores[i][k] = new long[] {Math.round(wk * Math.max(f[k], 1) * perimeter * Math.PI / 8 * (1 + 0.1 * rnd.nextGaussian())), perimeter};
                    }
                }
                vetoed += MultiScale.tooWide(MultiScale.poreWidth(Arrays.stream(pores).mapToLong(p -> p[2][0]).sum(),
                        Arrays.stream(pores).mapToLong(p -> p[2][1]).sum())) ? 1 : 0;
            }
            Lazy r = lazy(per, pores, f, side);
            narrowed += r.narrowed ? 1 : 0;
            runs[r.enlargements]++;
            stoppedEarly += r.stoppedEarly ? 1 : 0;
        }
        // every path was taken: no enlargement, 1/2 only, both; and stages stopped before their last slice
        for (int r : runs) {
            assertTrue(r > 1000, Arrays.toString(runs));
        }
        assertTrue(stoppedEarly > 1000, "stopped early " + stoppedEarly);
        assertTrue(vetoed > 1000, "vetoed " + vetoed);
        assertTrue(narrowed > 1000, "narrowed " + narrowed);
        double nan = Double.NaN;
        // 27 nm: the reductions' plateau is 1.5x the 1/2 porosity: 1/3 is needed and runs
        assertEquals(2, lazy(new double[][] {{0.253, 0.266, 0.294, 0.352, 0.398, 0.405, 0.362, 0.424, nan, nan}}, f, 160).enlargements);
        // 3 nm, pores 3x larger: the choice has 2x the 1/2 porosity, 1/3 is not run
        assertEquals(1, lazy(new double[][] {{0.121, 0.132, 0.136, 0.260, 0.257, 0.255, 0.255, 0.264, nan, nan}}, f, 384).enlargements);
        // wallGain 1.3 at 1 nm: the choice is a jump to 12-16, neither enlargement runs
        assertEquals(0, lazy(new double[][] {{0.01, 0.01, 0.0297, 0.0287, 0.0314, 0.0434, 0.0943, 0.1503, 0.1631, 0.1567}}, f, 1152).enlargements);
        // the training size on 8 slices: 1/3 falls far below 1/2 on every slice and stops after 5 of 8
        double[] at9 = {0.02, 0.049, 0.0757, 0.0736, 0.0759, 0.0838, 0.105, 0.133, 0.154, 0.179};
        double[][] eight = new double[8][];
        Arrays.fill(eight, at9);
        Lazy r = lazy(eight, f, 1024);
        assertEquals(2, r.enlargements);
        assertEquals(8 + 8 + 5, r.calls);
        // a slice without contrast is left out of every stage
        double[][] withConstant = {at9, null, at9};
        assertArrayEquals(new int[] {0, 2}, lazy(withConstant, f, 1024).choice.sampled());
        // none with contrast: the stack runs as it is (factor 1), not enlarged 3x (the first code)
        MultiScale.Choice none = MultiScale.choose(3, f, Segmenter.AUTO_TOLERANCE, 256, 256, (i, which) -> null, ProgressListener.NONE);
        assertEquals(1, f[none.index()]);
        assertEquals(0, none.sampled().length);
        assertEquals(1, f[MultiScale.asItIs(f)]);
        assertEquals(2, MultiScale.asItIs(new int[] {-2, 4, 2, 8}));
        // without factor 1 and without agreement, the finest reduction, not the enlargement listed first
        assertEquals(1, MultiScale.select(new double[] {0.5, 0.1, 0.3}, 0.1, new int[] {-2, 2, 4}, 256, 256));
    }

    private record Lazy(MultiScale.Choice choice, int enlargements, int calls, boolean stoppedEarly, boolean narrowed) {
    }

    /**
     * Scale selection ({@link MultiScale#choose}) on sample slices with these porosities per scale (a
     * null row: a slice without contrast); asserts the choice is select's from the medians of all of
     * them and that the reported medians are those, where reported.
     */
    private static Lazy lazy(double[][] per, int[] f, int side) throws Exception {
        return lazy(per, null, f, side);
    }

    /**
     * As {@link #lazy(double[][], int[], int)}, each slice with its pore components' pixels and
     * perimeter per scale code ({@code pores[i][k]}, none: null), as the reductions' stage reads them:
     * the choice is select's with their pooled widths, and no enlargement runs where the width at factor 1
     * is too wide.
     */
    private static Lazy lazy(double[][] per, long[][][] pores, int[] f, int side) throws Exception {
        double tol = Segmenter.AUTO_TOLERANCE;
        int[] calls = new int[f.length];
        int[] total = {0};
        long[][] pooled = new long[f.length][2];
        MultiScale.Choice c = MultiScale.choose(per.length, f, tol, side, side, (i, which) -> {
            total[0]++;
            if (per[i] == null) {
                return null;
            }
            double[] out = new double[f.length];
            for (int k = 0; k < f.length; k++) {
                calls[k] += which[k] ? 1 : 0;
                out[k] = which[k] ? per[i][k] : Double.NaN;
            }
            // the widths are read at the reductions, in their stage
            MultiScale.Reading reading = MultiScale.Reading.of(out);
            for (int k = 0; k < f.length; k++) {
                if (pores != null && which[k] && f[k] > 0) {
                    reading.poreArea()[k] = pores[i][k][0];
                    reading.porePerimeter()[k] = pores[i][k][1];
                    pooled[k][0] += pores[i][k][0];
                    pooled[k][1] += pores[i][k][1];
                }
            }
            return reading;
        }, ProgressListener.NONE);
        double[] widths = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            widths[k] = MultiScale.networkWidth(f[k], pooled[k][0], pooled[k][1]);
            assertEquals(widths[k], c.widths()[k], 0, "scale " + f[k]);
        }
        double width = MultiScale.widthAtOne(f, widths);
        assertEquals(width, MultiScale.widthAtOne(f, c.widths()), 0);
        double[] full = new double[f.length];
        int used = 0;
        for (double[] row : per) {
            used += row == null ? 0 : 1;
        }
        for (int k = 0; k < f.length; k++) {
            double[] col = new double[used];
            int i = 0;
            for (double[] row : per) {
                if (row != null) {
                    col[i++] = row[k];
                }
            }
            full[k] = Segmenter.median(col);
            if (f[k] > 0 || !Double.isNaN(c.porosity()[k])) {
                assertEquals(full[k], c.porosity()[k], 0, "scale " + f[k]);
            }
        }
        assertEquals(MultiScale.select(full, tol, f, side, side, widths), c.index(), Arrays.deepToString(per));
        double[] noWidths = new double[f.length];
        Arrays.fill(noWidths, Double.NaN);
        int byPorosity = MultiScale.select(full, tol, f, side, side, noWidths);
        // replaced for narrow pores: a finer reduction than the porosities alone chose
        boolean narrowed = f[byPorosity] > 1 && f[MultiScale.select(full, tol, f, side, side, widths)] >= 1
                && f[MultiScale.select(full, tol, f, side, side, widths)] < f[byPorosity];
        int enlargements = 0;
        boolean early = false;
        for (int k = 0; k < f.length; k++) {
            if (f[k] < 0 && calls[k] > 0) {
                enlargements++;
                early |= calls[k] < used;
            }
        }
        if (MultiScale.tooWide(width)) {
            assertEquals(0, enlargements, "pores " + Arrays.toString(widths) + " px wide");
        }
        return new Lazy(c, enlargements, total[0], early, narrowed);
    }

    private static void assertEnlarged(int want, int w, int h, double... porosity) {
        assertEquals(want, MultiScale.select(porosity, Segmenter.AUTO_TOLERANCE, Segmenter.AUTO_SCALES, w, h), java.util.Arrays.toString(porosity));
    }

    /** Scale codes as users write them, and back. */
    @Test
    void scaleCodesReadAndWrite() {
        assertEquals(-2, Segmenter.scaleCode("1/2"));
        assertEquals(-2, Segmenter.scaleCode("0.5"));
        assertEquals(-3, Segmenter.scaleCode(" 1/3 "));
        assertEquals(-3, Segmenter.scaleCode("0.3333"));
        assertEquals(-3, Segmenter.scaleCode("0.333"));
        assertEquals(4, Segmenter.scaleCode("4"));
        assertEquals(1, Segmenter.scaleCode("1/1"));
        for (String bad : new String[] {"0.4", "0", "-2", "2.5", "1/0", "x", "", "NaN"}) {
            assertNull(Segmenter.scaleCode(bad), bad);
        }
        assertEquals("1/2", Segmenter.scaleLabel(-2));
        assertEquals("[1/3, 1/2, 1, 2]", Segmenter.scaleLabels(new int[] {-3, -2, 1, 2}));
        assertEquals(0.5, Segmenter.scaleValue(-2));
        assertEquals(Integer.valueOf(3), Segmenter.scaleValue(3));
        for (int c : Segmenter.AUTO_SCALES) {
            assertEquals(c, MultiScale.code(Segmenter.scaleValue(c).doubleValue()), "round trip of " + c);
        }
        assertThrows(poreseg.util.ParameterException.class, () -> new MultiScale(new int[] {-4, 1}, null, null));
        assertThrows(poreseg.util.ParameterException.class, () -> new MultiScale(new int[] {0, 1}, null, null));
        assertThrows(poreseg.util.ParameterException.class, () -> new MultiScale(new int[] {-1, 1}, null, null));
        assertThrows(poreseg.util.ParameterException.class, () -> new MultiScale(new int[] {-2, 1}, 0.5, null), "adaptive: no enlargement");
    }

    /**
     * An enlarged scale runs the network on the preprocessed slice enlarged (bilinear) and reduces its
     * probabilities back by block means: exactly that, at the slice's size.
     */
    @Test
    void enlargedScaleIsTheBlockMeanOfTheEnlargedPrediction() throws Exception {
        int w = 40;
        int h = 36;
        float[] raw = stripes(w, h, 7, 60, 100, 60, false);
        StackInfo info = new StackInfo(w, h, 1, PixelType.U8, Calibration.NONE);
        try (Network net = Network.create(new Architecture("unet", 4, 2), 6)) {
            Segmenter seg = new Segmenter(net, 256, 16, 3);
            float[] up = poreseg.core.Resample.bilinearUp(Preprocessing.of(net.info()).networkInput(raw, w, h, PixelType.U8), w, h, 2 * w, 2 * h, 2);
            float[] pBig = net.tiled(256, 16, 3).predict(List.of(up), 2 * w, 2 * h, null).get(0);
            float[] want = poreseg.core.Resample.boxDown(pBig, 2 * w, 2 * h, 2, false);
            float[] got = seg.scales(new int[] {-2}).predict(raw, info, 0.5).probability();
            assertEquals(w * h, got.length);
            assertArrayEquals(want, got, 1e-6f);
        }
    }

    /** Scale selection returns one scale's probabilities bit for bit: the one the rule picks. */
    @Test
    void scaleSelectionReturnsTheChosenScalesProbabilities() throws Exception {
        int w = 96;
        int h = 80;
        float[] raw = stripes(w, h, 9, 60, 100, 60, false);
        StackInfo info = new StackInfo(w, h, 1, PixelType.U8, Calibration.NONE);
        try (Network net = Network.create(new Architecture("unet", 4, 2), 6)) {
            Segmenter seg = new Segmenter(net, 64, 16, 3);
            float[] p1 = seg.predict(raw, info, 0.5).probability();
            float[] p2 = seg.scales(new int[] {2}).predict(raw, info, 0.5).probability();
            double[] por = {fraction(p1), fraction(p2)};
            for (double tol : new double[] {0.01, 0.2, 0.9}) {
                float[] sel = seg.scaleSelection(new int[] {2, 1}, tol).predict(raw, info, 0.5).probability();
                assertArrayEquals(new int[] {1, 2}, seg.scales());
                assertEquals(tol, seg.scaleTolerance(), 0);
                float[] want = MultiScale.select(por, tol) == 0 ? p1 : p2;
                assertTrue(Arrays.equals(want, sel), "tolerance " + tol + ", porosities " + Arrays.toString(por));
            }
            assertThrows(poreseg.util.ParameterException.class, () -> seg.scaleSelection(new int[] {2, 4}, 0.2));
            assertThrows(poreseg.util.ParameterException.class, () -> seg.scaleSelection(new int[] {1}, 0.2));
            assertThrows(poreseg.util.ParameterException.class, () -> seg.scaleSelection(new int[] {1, 2}, 1.0));
        }
    }

    /**
     * Scale selection over a stack: the scale is chosen once, from the medians over evenly spaced
     * sample slices (constant ones skipped) of each factor's porosity, and every slice is then run at
     * that factor only, bit for bit as a single-scale segmenter at that factor runs it.
     */
    @Test
    void aStackRunsEverySliceAtTheScaleChosenFromItsSampledSlices() throws Exception {
        int w = 96;
        int h = 80;
        int n = 10;
        List<float[]> slices = new ArrayList<>();
        for (int z = 0; z < n; z++) {
            float[] raw = stripes(w, h, 100 + z, 60, 40 + 12 * z, 50 - 3 * z, z % 2 == 0);
            if (z == 3) {
                Arrays.fill(raw, 77); // constant: not sampled
            }
            slices.add(raw);
        }
        StackInfo info = new StackInfo(w, h, n, PixelType.U8, Calibration.NONE);
        Volume v = new ArrayVolume(info, slices, "test stack");
        int[] factors = {1, 2, 3};
        java.util.Set<Integer> chosen = new java.util.TreeSet<>();
        try (Network net = Network.create(new Architecture("unet", 4, 2), 8)) {
            // each slice's porosity at each factor, from single-scale segmenters
            double[][] por = new double[n][factors.length];
            for (int k = 0; k < factors.length; k++) {
                Segmenter single = new Segmenter(net, 64, 16, 3).scales(new int[] {factors[k]});
                for (int z = 0; z < n; z++) {
                    por[z][k] = fraction(single.predict(slices.get(z), info, 0.5).probability());
                }
            }
            // 8 of 10 slices, evenly spaced: (i + 0.5) * 10 / 8 -> 0 1 3 4 5 6 8 9, without the constant slice 3
            int[] sampled = {0, 1, 4, 5, 6, 8, 9};
            double[] median = new double[factors.length];
            for (int k = 0; k < factors.length; k++) {
                double[] col = new double[sampled.length];
                for (int i = 0; i < sampled.length; i++) {
                    col[i] = por[sampled[i]][k];
                }
                Arrays.sort(col);
                median[k] = col[col.length / 2];
            }
            for (double tol : new double[] {0.01, 0.9}) {
                Segmenter seg = new Segmenter(net, 64, 16, 3).scaleSelection(factors, tol);
                assertTrue(seg.selectsScale());
                Segmenter.ScaleChoice c = seg.chooseScale(v);
                assertArrayEquals(sampled, c.slices());
                assertArrayEquals(median, c.porosity(), 1e-12);
                int want = factors[MultiScale.select(median, tol)];
                assertEquals(want, c.factor(), "tolerance " + tol + ", medians " + Arrays.toString(median));
                chosen.add(want);
                Path prob = tmp.resolve("p" + tol + ".tif");
                List<long[]> calls = java.util.Collections.synchronizedList(new ArrayList<>());
                StackSegmentation.Result r = StackSegmentation.run(v, seg, 0.5, tmp.resolve("m" + tol + ".tif"), prob, null,
                        (done, total) -> calls.add(new long[] {done, total}));
                // the 8 sample slices count on the progress bar: 8 + 10 units, ending done
                long[] last = calls.get(calls.size() - 1);
                assertArrayEquals(new long[] {18, 18}, last);
                for (long[] call : calls) {
                    assertEquals(18, call[1]);
                    assertTrue(call[0] >= 1 && call[0] <= 18);
                }
                assertEquals(want, r.scale().factor());
                assertArrayEquals(median, r.scale().porosity(), 1e-12);
                Segmenter at = new Segmenter(net, 64, 16, 3).scales(new int[] {want});
                try (Volume p = Volumes.open(prob)) {
                    for (int z = 0; z < n; z++) {
                        if (z != 3) {
                            assertTrue(Arrays.equals(at.predict(slices.get(z), info, 0.5).probability(), p.slice(z)), "slice " + z);
                        }
                    }
                }
            }
            // this network's medians (about 0.89, 0.997, 0.994) take factor 2 at 0.01 and 1 at 0.9: both paths ran
            assertEquals(java.util.Set.of(1, 2), chosen, "medians " + Arrays.toString(median));
            // with enlargements: the same choice as from every factor's medians, the enlargements' medians
            // reported where they ran (NaN where the rule did not need them)
            int[] withUp = {-3, -2, 1, 2};
            double[] medianUp = new double[withUp.length];
            for (int k = 0; k < withUp.length; k++) {
                Segmenter single = new Segmenter(net, 64, 16, 3).scales(new int[] {withUp[k]});
                double[] col = new double[sampled.length];
                for (int i = 0; i < sampled.length; i++) {
                    col[i] = fraction(single.predict(slices.get(sampled[i]), info, 0.5).probability());
                }
                medianUp[k] = Segmenter.median(col);
            }
            for (double tol : new double[] {0.01, 0.1, 0.9}) {
                Segmenter.ScaleChoice c = new Segmenter(net, 64, 16, 3).scaleSelection(withUp, tol).chooseScale(v);
                assertEquals(withUp[MultiScale.select(medianUp, tol, withUp, w, h)], c.factor(), "tolerance " + tol + ", medians " + Arrays.toString(medianUp));
                for (int k = 0; k < withUp.length; k++) {
                    if (withUp[k] > 0 || !Double.isNaN(c.porosity()[k])) {
                        assertEquals(medianUp[k], c.porosity()[k], 1e-12, "scale " + withUp[k]);
                    }
                }
            }
            // without scale selection there is no choice to make
            Segmenter plain = new Segmenter(net, 64, 16, 3);
            assertTrue(!plain.selectsScale());
            assertThrows(IllegalStateException.class, () -> plain.chooseScale(v));
            assertNull(StackSegmentation.run(v, plain, 0.5, tmp.resolve("plain.tif"), null, null, ProgressListener.NONE).scale());
        }
    }

    @Test
    void medianIgnoresNothingAndIsNanWithAnyNan() {
        assertEquals(2.0, Segmenter.median(new double[] {3, 1, 2}), 0);
        assertEquals(2.5, Segmenter.median(new double[] {4, 1, 3, 2}), 0);
        assertTrue(Double.isNaN(Segmenter.median(new double[] {1, Double.NaN})));
        assertTrue(Double.isNaN(Segmenter.median(new double[0])));
    }

    /**
     * A noisy slice (base + uniform noise below {@code spread}) with bands of {@code step} added: 24 px
     * wide columns, or 20 px high rows.
     */
    private static float[] stripes(int w, int h, long seed, int base, int spread, int step, boolean columns) {
        float[] raw = new float[w * h];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        for (int i = 0; i < raw.length; i++) {
            boolean band = columns ? (i % w) / 24 % 2 == 0 : (i / w) / 20 % 2 == 0;
            raw[i] = base + (float) rnd.nextInt(spread) + (band ? step : 0);
        }
        return raw;
    }

    private static double fraction(float[] p) {
        long n = 0;
        for (float q : p) {
            if (q >= 0.5f) {
                n++;
            }
        }
        return (double) n / p.length;
    }
}

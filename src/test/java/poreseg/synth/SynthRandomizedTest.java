package poreseg.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import poreseg.io.Calibration;

/** Domain randomisation: {@link SynthParams#randomized}, {@link DomainRandomizer}, {@link Appearance}. */
class SynthRandomizedTest {
    private static SynthParams small(long seed) {
        return SynthParams.randomized(seed).withSize(64).withSlices(8);
    }

    @Test
    void sameSeedGivesSameParametersAndImagesOtherSeedDiffers() throws IOException {
        assertEquals(SynthParams.randomized(5), SynthParams.randomized(5));
        assertNotEquals(SynthParams.randomized(5).appearance(), SynthParams.randomized(6).appearance());
        SynthVolume a = new SynthGenerator().generate(small(5));
        SynthVolume b = new SynthGenerator().generate(small(5));
        assertArrayEquals(a.image().slice(3), b.image().slice(3));
        assertArrayEquals(a.truth().slice(3), b.truth().slice(3));
        SynthVolume c = new SynthGenerator().generate(small(6));
        assertFalse(java.util.Arrays.equals(a.image().slice(3), c.image().slice(3)));
    }

    @Test
    void defaultAppearanceIsTheFixedModel() {
        assertTrue(SynthParams.defaults().isDefaultAppearance());
        assertEquals(Appearance.DEFAULT, new SynthParams(64, 4, new Calibration(9, 9, 15, "nm"), 0.08, 1, false, true, 0, 40).appearance());
        assertFalse(SynthParams.randomized(1).isDefaultAppearance());
        // with... builders keep the draw
        assertEquals(SynthParams.randomized(3).appearance(), SynthParams.randomized(3).withSize(99).withSlices(7).appearance());
    }

    /** The truth is exact: a truth pixel is pore iff the field is negative at that pixel's sample point. */
    @Test
    void truthMaskIsTheSignOfTheFieldAndTruthJsonAgrees() throws IOException {
        for (long seed : new long[] {1, 2, 3, 4}) {
            SynthParams p = SynthParams.randomized(seed).withSize(96).withSlices(16);
            SynthVolume v = new SynthGenerator().generate(p);
            SliceRenderer r = new SliceRenderer(v.geometry(), p);
            long pore = 0;
            long region = 0;
            for (int z = 0; z < p.slices(); z++) {
                float[] t = v.truth().slice(z);
                float[] in = v.particle().slice(z);
                for (int o = 0; o < t.length; o++) {
                    pore += t[o] > 0 ? 1 : 0;
                    region += in[o] > 0 ? 1 : 0;
                }
                if (z % 5 == 0) {
                    for (int o = 0; o < t.length; o += 7) {
                        int fam = v.geometry().families(r.sampleX(o % p.size(), z), r.sampleY(o / p.size(), z), r.sampleZ(z));
                        assertEquals(t[o] > 0, fam != 0, "seed " + seed + " slice " + z + " pixel " + o);
                    }
                }
            }
            double mask = (double) pore / region; // of the particle in particle mode
            double json = v.truthStats().porosity();
            // mask and lattice sample the same field on different points: equal up to sampling error
            assertEquals(json, mask, 0.08 * json + 0.003, "seed " + seed + " truth.json " + json + " vs mask " + mask);
        }
    }

    @Test
    void parametersVaryAcrossSeedsWithinTheirRanges() {
        int n = 300;
        Map<String, Object>[] maps = new Map[n];
        double vMin = 1e9;
        double vMax = 0;
        double pMin = 1;
        double pMax = 0;
        Set<Boolean> particle = new HashSet<>();
        Set<Boolean> artifacts = new HashSet<>();
        for (int i = 0; i < n; i++) {
            SynthParams p = SynthParams.randomized(1000 + i);
            maps[i] = p.appearance().toMap();
            double[] v = p.voxelNm();
            assertTrue(v[0] >= 3 - 1e-3 && v[0] <= 30 + 1e-3 && v[2] >= v[0] - 1e-3 && v[2] <= 30 + 1e-3, "voxel " + p.voxel());
            vMin = Math.min(vMin, v[0]);
            vMax = Math.max(vMax, v[0]);
            assertTrue(p.porosity() >= 0.01 && p.porosity() <= 0.4);
            pMin = Math.min(pMin, p.porosity());
            pMax = Math.max(pMax, p.porosity());
            particle.add(p.particle());
            artifacts.add(p.artifacts());
        }
        assertTrue(vMin < 4 && vMax > 25, "voxel range " + vMin + ".." + vMax);
        assertTrue(pMin < 0.015 && pMax > 0.3, "porosity range " + pMin + ".." + pMax);
        assertEquals(2, particle.size());
        assertEquals(2, artifacts.size());
        for (String k : maps[0].keySet()) {
            Set<Object> values = new HashSet<>();
            for (Map<String, Object> m : maps) {
                values.add(m.get(k));
            }
            if (k.equals("levels")) {
                assertEquals(Set.of(true), values, "randomised stacks map levels");
                continue;
            }
            int expected = maps[0].get(k) instanceof Boolean || k.equals("bits") ? 2 : 20;
            assertTrue(values.size() >= expected, k + " takes only " + values.size() + " values over " + n + " seeds");
        }
        // each pore family is drawn for some seeds and not for others
        for (String k : List.of("intraShare", "voidGrains", "crackWidth", "openPores")) {
            long on = java.util.Arrays.stream(maps).filter(m -> (double) m.get(k) > 0).count();
            assertTrue(on > n / 10 && on < n * 9 / 10, k + " drawn in " + on + " of " + n);
        }
        // wide ranges: the contrast and blur parameters span most of their intervals
        assertSpan(maps, "toneSd", 0.05, 0.22);
        assertSpan(maps, "wallGain", 0.4, 1.1);
        assertSpan(maps, "psfNm", 3, 20);
        assertSpan(maps, "gamma", 0.7, 1.5);
        assertSpan(maps, "curtainAngle", -15, 15);
        assertSpan(maps, "grainWidth", 90, 300);
    }

    private static void assertSpan(Map<String, Object>[] maps, String k, double below, double above) {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (Map<String, Object> m : maps) {
            double v = (double) m.get(k);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertTrue(lo < below && hi > above, k + " spans only " + lo + ".." + hi);
    }

    /** An appearance with exactly the given families on (besides the calibrated network). */
    private static Appearance families(double intra, double voids, double crack, double open) {
        Appearance d = Appearance.DEFAULT;
        return new Appearance(d.grainWidth(), d.elongation(), d.bendAmp(), d.junctionGain(), d.roughAmp(), intra, d.intraRadius(),
                voids, crack, crack > 0 ? 0.5 : 0, open, d.toneSd(), d.wallGain(), d.depthDecay(), d.maxDepth(), d.voidLevel(),
                d.rimGain(), d.rimNm(), d.psfNm(), d.curtainAmp(), d.curtainAngle(), d.shading(), d.charging(), d.scanJitter(),
                d.readNoise(), d.ampLag(), d.levels(), d.black(), d.white(), d.gamma(), d.bits(), d.inverted());
    }

    private static int familiesSeen(SynthParams p, int points) {
        SynthVolume v = new SynthGenerator().generate(p);
        double[] nm = p.voxelNm();
        SplittableRandom r = new SplittableRandom(9);
        int seen = 0;
        for (int i = 0; i < points; i++) {
            seen |= v.geometry().families(r.nextDouble() * p.size() * nm[0], r.nextDouble() * p.size() * nm[1],
                    r.nextDouble() * p.slices() * nm[2]);
        }
        return seen;
    }

    @Test
    void eachPoreFamilyIsPresentWhenDrawnAndAbsentOtherwise() {
        SynthParams base = SynthParams.defaults().withSize(128).withSlices(16).withVoxel(new Calibration(12, 12, 15, "nm"))
                .withPorosity(0.15).withSeed(4);
        int none = familiesSeen(base.withAppearance(families(0, 0, 0, 0)), 40_000);
        assertEquals(PoreGeometry.NETWORK, none, "only the network when no family is drawn");
        int intra = familiesSeen(base.withAppearance(families(0.3, 0, 0, 0)), 40_000);
        assertEquals(PoreGeometry.NETWORK | PoreGeometry.INTRA, intra);
        int voids = familiesSeen(base.withAppearance(families(0, 0.05, 0, 0)), 40_000);
        assertEquals(PoreGeometry.NETWORK | PoreGeometry.VOID, voids);
        int cracks = familiesSeen(base.withAppearance(families(0, 0, 6, 0)), 40_000);
        assertEquals(PoreGeometry.NETWORK | PoreGeometry.CRACK, cracks);
        // open pores exist only in particle mode, at the outline
        SynthParams particle = base.withParticle(true).withSize(160).withVoxel(new Calibration(20, 20, 20, "nm"));
        int open = familiesSeen(particle.withAppearance(families(0, 0, 0, 0.3)), 60_000);
        assertEquals(PoreGeometry.NETWORK | PoreGeometry.OPEN, open);
        assertEquals(PoreGeometry.NETWORK, familiesSeen(base.withAppearance(families(0, 0, 0, 0.3)), 40_000), "no open pores in a crop");
    }

    @Test
    void polarityQuantisationAndSaturationOfTheLevelsMapping() throws IOException {
        SynthParams p = null;
        SynthParams inv = null;
        for (long s = 1; p == null || inv == null; s++) {
            SynthParams q = SynthParams.randomized(s);
            if (q.appearance().bits() == 8 && !q.appearance().inverted() && p == null) {
                p = q;
            }
            if (q.appearance().inverted() && inv == null) {
                inv = q;
            }
        }
        SynthParams p8 = p.withSize(96).withSlices(2).withParticle(false).withPorosity(0.15);
        float[] img = new SynthGenerator().generate(p8).image().slice(1);
        Set<Float> levels = new HashSet<>();
        for (float v : img) {
            levels.add(v);
            assertEquals(0, v % 257, "8-bit levels are stored x 257");
        }
        assertTrue(levels.size() <= 256 && levels.size() > 10, levels.size() + " levels");
        for (SynthParams q : new SynthParams[] {p8, inv.withSize(96).withSlices(2).withParticle(false).withPorosity(0.15)}) {
            SynthVolume v = new SynthGenerator().generate(q);
            float[] im = v.image().slice(1);
            float[] t = v.truth().slice(1);
            double pore = 0;
            double solid = 0;
            int np = 0;
            for (int o = 0; o < im.length; o++) {
                if (t[o] > 0) {
                    pore += im[o];
                    np++;
                } else {
                    solid += im[o];
                }
            }
            pore /= np;
            solid /= im.length - np;
            if (q.appearance().inverted()) {
                assertTrue(pore > solid, "inverted: pores brighter, " + pore + " vs " + solid);
            } else {
                assertTrue(pore < solid, "pores darker, " + pore + " vs " + solid);
            }
        }
    }

    @Test
    void rejectsBadAppearance() {
        Appearance d = Appearance.DEFAULT;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Appearance(d.grainWidth(), d.elongation(),
                d.bendAmp(), d.junctionGain(), d.roughAmp(), d.intraShare(), d.intraRadius(), d.voidGrains(), d.crackWidth(),
                d.crackDensity(), d.openPores(), d.toneSd(), d.wallGain(), d.depthDecay(), d.maxDepth(), d.voidLevel(), d.rimGain(),
                d.rimNm(), d.psfNm(), d.curtainAmp(), d.curtainAngle(), d.shading(), d.charging(), d.scanJitter(), d.readNoise(),
                d.ampLag(), true, 0, 1, 1, 12, false));
    }

    /** In a training set, particle-mode masks leave the background unlabelled (128); crops are 0/255. */
    @Test
    void trainingSetMasksLeaveTheParticleBackgroundUnlabelled(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        long particleSeed = -1;
        for (long seed = 1; seed < 200 && particleSeed < 0; seed++) {
            if (SynthParams.randomized(seed).particle()) {
                particleSeed = seed;
            }
        }
        assertTrue(particleSeed > 0);
        TrainingSet.write(dir, particleSeed, 1, 64, 2, 0, false, poreseg.util.ProgressListener.NONE);
        SynthVolume v = new SynthGenerator().generate(SynthParams.randomized(particleSeed).withSize(64).withSlices(2));
        try (var m = poreseg.io.Volumes.open(dir.resolve(TrainingSet.MASKS).resolve(String.format("r%06d-0001.tif", particleSeed)))) {
            float[] mask = m.slice(0);
            float[] truth = v.truth().slice(1);
            float[] in = v.particle().slice(1);
            long outside = 0;
            for (int i = 0; i < mask.length; i++) {
                assertEquals(in[i] == 0 ? poreseg.core.Masks.UNLABELLED : truth[i], mask[i], "pixel " + i);
                outside += in[i] == 0 ? 1 : 0;
            }
            assertTrue(outside > 0, "the particle leaves some background in a 64 px field");
        }
    }
}

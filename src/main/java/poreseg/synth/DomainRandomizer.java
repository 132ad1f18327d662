package poreseg.synth;

import java.util.SplittableRandom;
import poreseg.io.Calibration;

/**
 * Draws domain-randomised synthetic parameters for training a generalist pore model: every stack gets
 * its own microstructure, pore families and imaging, so that a network trained on many draws learns
 * what a pore is, not what {@code poreseg synth}'s default pore looks like. The ranges (documented in
 * docs/synth.md, "Domain randomisation") are wide on purpose: they cover real FIB-SEM and beyond.
 * Deterministic: equal seeds give equal parameters.
 */
final class DomainRandomizer {
    /** Range of the drawn pixel size, nm (slice spacing: 1-2x the pixel size, within the same range). */
    static final double VOXEL_MIN = 3;
    static final double VOXEL_MAX = 30;
    static final double POROSITY_MIN = 0.01;
    static final double POROSITY_MAX = 0.40;
    /** Lower end of the uniform half of the porosity draw. */
    static final double POROSITY_HIGH = 0.10;

    private DomainRandomizer() {
    }

    static SynthParams draw(long seed, int size, int slices) {
        SplittableRandom r = new SplittableRandom(Hash.mix(seed, 0xD0A1));
        double vx = logUniform(r, VOXEL_MIN, VOXEL_MAX);
        double vz = Math.min(VOXEL_MAX, vx * uniform(r, 1, 2));
        // half the stacks log-uniform over the whole range, half uniform over 10-40 %: real cathodes and
        // ceramics are often 15-35 % porous, which a log-uniform draw alone (median 6 %) rarely shows
        double porosity = r.nextDouble() < 0.5 ? logUniform(r, POROSITY_MIN, POROSITY_MAX) : uniform(r, POROSITY_HIGH, POROSITY_MAX);
        boolean particle = r.nextDouble() < 0.3;
        boolean artifacts = r.nextDouble() < 0.85;
        double drift = artifacts && r.nextDouble() < 0.3 ? uniform(r, 0, 1) : 0;
        double dose = logUniform(r, 4, 400);

        // microstructure
        double grainWidth = Math.max(4 * vx, logUniform(r, 70, 400));
        double elongation = uniform(r, 1, 3);
        double bendAmp = uniform(r, 0, 0.6);
        double junctionGain = uniform(r, 0.5, 6);
        double roughAmp = uniform(r, 0.2, 0.8);
        // pore families besides the (always present, calibrated) intergranular network
        double intraShare = r.nextDouble() < 0.7 ? uniform(r, 0.05, 0.5) : 0;
        double intraRadius = Math.max(1.5 * vx, logUniform(r, 8, 60));
        double voidGrains = r.nextDouble() < 0.5 ? uniform(r, 0.2, 0.6) * (1 - intraShare) * porosity : 0;
        boolean cracks = r.nextDouble() < 0.4;
        double crackWidth = cracks ? Math.max(1.5, uniform(r, 2, 12) * Math.sqrt(Math.min(1, porosity / 0.08))) : 0;
        double crackDensity = cracks ? uniform(r, 0.1, 0.6) : 0;
        double openPores = particle && r.nextDouble() < 0.6 ? uniform(r, 0.05, 0.3) : 0;

        // imaging
        double toneSd = uniform(r, 0.03, 0.25);
        double wallGain = uniform(r, 0.3, 1.2);
        double depthDecay = logUniform(r, 30, 300);
        double maxDepth = uniform(r, 200, 600);
        double voidLevel = uniform(r, 0, 0.35);
        double rimGain = uniform(r, 0, 1.2);
        double rimNm = uniform(r, 5, 40);
        double psfNm = Math.max(0.3 * vx, logUniform(r, 2, 30));
        double curtainAmp = artifacts ? uniform(r, 0, 0.3) : 0;
        double curtainAngle = r.nextDouble() < 0.5 ? uniform(r, -20, 20) : 0;
        double shading = uniform(r, 0, 6);
        double charging = r.nextDouble() < 0.4 ? uniform(r, 0.05, 0.4) : 0;
        double scanJitter = uniform(r, 0, 0.03);
        double readNoise = uniform(r, 0, 5);
        double ampLag = uniform(r, 0, 0.7);
        double black = uniform(r, -0.2, 0.25);
        double white = uniform(r, 1.2, 3.0);
        double gamma = logUniform(r, 0.6, 1.7);
        int bits = r.nextDouble() < 0.5 ? 8 : 16;
        boolean inverted = r.nextDouble() < 0.1;
        Appearance a = new Appearance(grainWidth, elongation, bendAmp, junctionGain, roughAmp, intraShare, intraRadius,
                voidGrains, crackWidth, crackDensity, openPores, toneSd, wallGain, depthDecay, maxDepth, voidLevel, rimGain,
                rimNm, psfNm, curtainAmp, curtainAngle, shading, charging, scanJitter, readNoise, ampLag, true, black, white,
                gamma, bits, inverted);
        return new SynthParams(size, slices, new Calibration(round3(vx), round3(vx), round3(vz), "nm"), porosity, seed,
                particle, artifacts, drift, dose, a);
    }

    private static double round3(double v) {
        return Math.rint(v * 1000) / 1000;
    }

    private static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    private static double logUniform(SplittableRandom r, double lo, double hi) {
        return Math.exp(uniform(r, Math.log(lo), Math.log(hi)));
    }
}

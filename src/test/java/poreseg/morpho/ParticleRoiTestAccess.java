package poreseg.morpho;

import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;

/** Gives CLI tests the synthetic particle stack of {@link ParticleRoiTest}. */
public final class ParticleRoiTestAccess {
    private ParticleRoiTestAccess() {
    }

    public static ArrayVolume raw() {
        return ParticleRoiTest.raw(Calibration.NONE);
    }

    public static ArrayVolume pores() {
        return ParticleRoiTest.poreMask(Calibration.NONE);
    }
}

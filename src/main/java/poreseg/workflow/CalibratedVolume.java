package poreseg.workflow;

import java.io.IOException;
import poreseg.io.Calibration;
import poreseg.io.StackInfo;
import poreseg.io.Volume;

/** A view of a volume with another voxel size (e.g. {@code --voxel} for a TIFF that has none); the pixels are the same. */
public final class CalibratedVolume implements Volume {
    private final Volume in;
    private final StackInfo info;

    public CalibratedVolume(Volume in, Calibration calibration) {
        this.in = in;
        this.info = in.info().withCalibration(calibration);
    }

    @Override
    public StackInfo info() {
        return info;
    }

    @Override
    public String source() {
        return in.source();
    }

    @Override
    public float[] slice(int z) throws IOException {
        return in.slice(z);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

package poreseg.io;

import poreseg.util.ParameterException;

/** Shape, sample type and calibration of a stack of slices. */
public record StackInfo(int width, int height, int depth, PixelType type, Calibration calibration) {

    public StackInfo {
        if (width <= 0 || height <= 0 || depth <= 0) {
            throw new ParameterException("stack dimensions must be positive, got " + width + "x" + height + "x" + depth);
        }
        if ((long) width * height > Integer.MAX_VALUE - 8) {
            throw new ParameterException("a slice of " + width + "x" + height + " pixels is too large (max 2^31 pixels)");
        }
    }

    public int sliceSize() {
        return width * height;
    }

    public long voxels() {
        return (long) width * height * depth;
    }

    public StackInfo withType(PixelType t) {
        return new StackInfo(width, height, depth, t, calibration);
    }

    public StackInfo withCalibration(Calibration c) {
        return new StackInfo(width, height, depth, type, c);
    }

    public StackInfo withDepth(int d) {
        return new StackInfo(width, height, d, type, calibration);
    }

    public boolean sameShape(StackInfo o) {
        return width == o.width && height == o.height && depth == o.depth;
    }

    public String shape() {
        return width + "x" + height + "x" + depth;
    }
}

package poreseg.io;

/** How the samples of a TIFF are stored and turned into floats. */
enum TiffSample {
    BIT, U8, S8, U16, S16, U32, S32, F32, F64;

    /** The pixel type of the volume: 1- and 8-bit as U8, unsigned 16-bit as U16, everything else as F32. */
    PixelType pixelType() {
        return switch (this) {
            case BIT, U8 -> PixelType.U8;
            case U16 -> PixelType.U16;
            default -> PixelType.F32;
        };
    }
}

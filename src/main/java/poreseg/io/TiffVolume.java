package poreseg.io;

import ij.io.FileInfo;
import ij.io.FileOpener;
import ij.io.ImageReader;
import ij.io.TiffDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A TIFF file read lazily, slice by slice, with ImageJ's TIFF decoder (uncompressed, LZW, PackBits
 * and Deflate; one IFD per page, or ImageJ's contiguous stacks, including those over 4 GiB).
 * Calibration is read the ImageJ way: XResolution/YResolution for x and y, the "spacing" and
 * "unit" entries of the ImageJ description for z and the unit.
 */
public final class TiffVolume implements Volume {
    private final Path path;
    private final FileInfo[] pages;
    private final boolean contiguous;
    private final StackInfo info;
    private final long sliceStride;

    private TiffVolume(Path path, FileInfo[] pages, boolean contiguous, StackInfo info) {
        this.path = path;
        this.pages = pages;
        this.contiguous = contiguous;
        this.info = info;
        FileInfo f = pages[0];
        this.sliceStride = (long) f.width * f.height * f.getBytesPerPixel() + f.gapBetweenImages;
    }

    public static TiffVolume open(Path path) throws IOException {
        FileInfo[] pages;
        try {
            String dir = path.toAbsolutePath().getParent().toString() + java.io.File.separator;
            pages = new TiffDecoder(dir, path.getFileName().toString()).getTiffInfo();
        } catch (IOException | RuntimeException e) {
            throw new DataException(path + ": corrupt or unreadable TIFF (" + e.getMessage() + ")", e);
        }
        if (pages == null || pages.length == 0) {
            throw new DataException(path + ": corrupt TIFF (no image directory found)");
        }
        FileInfo first = pages[0];
        PixelType type = pixelType(path, first);
        for (int i = 1; i < pages.length; i++) {
            FileInfo p = pages[i];
            if (p.width != first.width || p.height != first.height) {
                throw new DataException(path + ": page " + (i + 1) + " is " + p.width + "x" + p.height
                        + ", page 1 is " + first.width + "x" + first.height + " (pages of different sizes)");
            }
            if (p.fileType != first.fileType) {
                throw new DataException(path + ": page " + (i + 1) + " has another pixel type than page 1");
            }
        }
        boolean contiguous = pages.length == 1 && first.nImages > 1;
        int depth = contiguous ? first.nImages : pages.length;
        long needed = first.getOffset() + (long) depth * ((long) first.width * first.height * first.getBytesPerPixel());
        if (first.compression <= FileInfo.COMPRESSION_NONE && needed > Files.size(path)) {
            throw new DataException(path + ": truncated TIFF (file is " + Files.size(path) + " bytes, pixel data needs " + needed + ")");
        }
        StackInfo info;
        try {
            info = new StackInfo(first.width, first.height, depth, type, calibration(first));
        } catch (IllegalArgumentException e) {
            throw new DataException(path + ": " + e.getMessage());
        }
        return new TiffVolume(path, pages, contiguous, info);
    }

    private static PixelType pixelType(Path path, FileInfo fi) {
        return switch (fi.fileType) {
            case FileInfo.GRAY8, FileInfo.COLOR8 -> PixelType.U8;
            case FileInfo.GRAY16_UNSIGNED, FileInfo.GRAY12_UNSIGNED -> PixelType.U16;
            case FileInfo.GRAY32_FLOAT, FileInfo.GRAY16_SIGNED, FileInfo.GRAY32_INT, FileInfo.GRAY32_UNSIGNED,
                    FileInfo.GRAY64_FLOAT -> PixelType.F32;
            case FileInfo.RGB, FileInfo.RGB48, FileInfo.BGR, FileInfo.ARGB, FileInfo.RGB_PLANAR, FileInfo.BARG, FileInfo.ABGR,
                    FileInfo.CMYK, FileInfo.RGB48_PLANAR -> PixelType.U8; // accepted only when grey, checked per slice
            default -> throw new DataException(path + ": unsupported TIFF pixel type (ImageJ file type " + fi.fileType + ")");
        };
    }

    private static Calibration calibration(FileInfo fi) {
        Properties props = fi.description != null ? new FileOpener(fi).decodeDescriptionString(fi) : null;
        double pw = fi.pixelWidth > 0 ? fi.pixelWidth : 1;
        double ph = fi.pixelHeight > 0 ? fi.pixelHeight : 1;
        double pd = 1;
        String unit = fi.unit;
        if (props != null) {
            pd = parse(props.getProperty("spacing"), 1);
            if (props.getProperty("unit") != null) {
                unit = props.getProperty("unit");
            }
        }
        if (fi.pixelDepth > 0 && fi.pixelDepth != 1 && pd == 1) {
            pd = fi.pixelDepth;
        }
        if (pd < 0) {
            pd = -pd; // ImageJ allows negative spacing for reversed stacks
        }
        if (unit == null || unit.isBlank() || unit.equals(" ")) {
            unit = "pixel";
        }
        try {
            return new Calibration(pw, ph, pd, unit);
        } catch (IllegalArgumentException e) {
            return Calibration.NONE;
        }
    }

    private static double parse(String s, double dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            double v = Double.parseDouble(s.trim());
            return v != 0 && Double.isFinite(v) ? v : dflt;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    @Override
    public StackInfo info() {
        return info;
    }

    @Override
    public String source() {
        return path.toString();
    }

    @Override
    public float[] slice(int z) throws IOException {
        if (z < 0 || z >= info.depth()) {
            throw new IndexOutOfBoundsException("slice " + z + " of " + info.depth());
        }
        FileInfo fi = (FileInfo) (contiguous ? pages[0] : pages[z]).clone();
        if (contiguous) {
            fi.longOffset = pages[0].getOffset() + z * sliceStride;
            fi.offset = 0;
        }
        fi.nImages = 1;
        Object pixels;
        try (InputStream in = new FileOpener(fi).createInputStream(fi)) {
            if (in == null) {
                throw new DataException(path + ": cannot open file");
            }
            pixels = new ImageReader(fi).readPixels(in);
        } catch (RuntimeException e) {
            throw new DataException(path + ": corrupt TIFF data in slice " + (z + 1) + " (" + e + ")", e);
        }
        if (pixels == null) {
            throw new DataException(path + ": corrupt or truncated TIFF data in slice " + (z + 1));
        }
        return toFloat(pixels, fi);
    }

    private float[] toFloat(Object pixels, FileInfo fi) {
        int n = info.sliceSize();
        float[] out = new float[n];
        if (pixels instanceof byte[] b) {
            for (int i = 0; i < n; i++) {
                out[i] = b[i] & 0xff;
            }
        } else if (pixels instanceof short[] s) {
            boolean signed = fi.fileType == FileInfo.GRAY16_SIGNED;
            for (int i = 0; i < n; i++) {
                out[i] = signed ? (s[i] & 0xffff) - 32768 : (s[i] & 0xffff); // ImageJ adds 32768 to signed data
            }
        } else if (pixels instanceof float[] f) {
            System.arraycopy(f, 0, out, 0, n);
        } else if (pixels instanceof int[] rgb) {
            for (int i = 0; i < n; i++) {
                int c = rgb[i];
                int r = (c >> 16) & 0xff;
                int g = (c >> 8) & 0xff;
                int bl = c & 0xff;
                if (r != g || g != bl) {
                    throw new DataException(path + ": is an RGB colour image; poreseg needs greyscale (convert it in Fiji: Image > Type > 8-bit)");
                }
                out[i] = r;
            }
        } else {
            throw new DataException(path + ": unsupported TIFF pixel layout (" + pixels.getClass().getSimpleName() + ")");
        }
        return out;
    }
}

package poreseg.io;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A single PNG, BMP or JPEG image read with the JDK's ImageIO, as a one-slice volume. Grey, grey+alpha
 * and grey stored as RGB(A) read as grey (alpha is dropped); true colour is refused.
 */
public final class ImageFileVolume extends FileVolume {
    private final float[] pixels;

    private ImageFileVolume(Path path, StackInfo info, float[] pixels) {
        super(path, info);
        this.pixels = pixels;
    }

    public static ImageFileVolume open(Path path) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(path.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DataException(path + ": corrupt or unreadable image (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new DataException(path + ": unsupported or corrupt image file");
        }
        Raster r = img.getRaster();
        int w = r.getWidth();
        int h = r.getHeight();
        int bands = r.getNumBands();
        int bits = r.getSampleModel().getSampleSize(0);
        boolean indexed = img.getColorModel() instanceof java.awt.image.IndexColorModel;
        PixelType type = bits > 8 && !indexed ? PixelType.U16 : PixelType.U8;
        float[] px = new float[w * h];
        if (indexed) {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < px.length; i++) {
                px[i] = grey(path, (argb[i] >> 16) & 0xff, (argb[i] >> 8) & 0xff, argb[i] & 0xff);
            }
        } else if (bands <= 2) {
            r.getSamples(0, 0, w, h, 0, px);
        } else {
            float[] g = new float[w * h];
            float[] b = new float[w * h];
            r.getSamples(0, 0, w, h, 0, px);
            r.getSamples(0, 0, w, h, 1, g);
            r.getSamples(0, 0, w, h, 2, b);
            for (int i = 0; i < px.length; i++) {
                px[i] = grey(path, px[i], g[i], b[i]);
            }
        }
        return new ImageFileVolume(path, new StackInfo(w, h, 1, type, Calibration.NONE), px);
    }

    private static float grey(Path path, float r, float g, float b) {
        if (r != g || g != b) {
            throw new DataException(path + ": is an RGB colour image; poreseg needs greyscale (convert it in Fiji: Image > Type > 8-bit)");
        }
        return r;
    }

    @Override
    public float[] slice(int z) {
        if (z != 0) {
            throw new IndexOutOfBoundsException("slice " + z + " of 1");
        }
        return pixels.clone();
    }
}

package poreseg.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import poreseg.io.OutputFiles;
import poreseg.util.ParameterException;

/** PNG output of figures: bytes, atomic files, base64 data URIs, and panels side by side. */
public final class Figure {
    private static final String PNG_URI = "data:image/png;base64,";

    private Figure() {
    }

    /** The image encoded as PNG. */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding failed", e); // in-memory: cannot happen
        }
        return out.toByteArray();
    }

    /** Writes the image as a PNG file, atomically (a reader never sees half a file). */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        byte[] bytes = png(image);
        OutputFiles.writeAtomically(file, tmp -> Files.write(tmp, bytes));
    }

    /** "data:image/png;base64,..." for embedding in HTML. */
    public static String dataUri(BufferedImage image) {
        return dataUri(png(image));
    }

    /** "data:image/png;base64,..." of PNG bytes. */
    public static String dataUri(byte[] png) {
        return PNG_URI + Base64.getEncoder().encodeToString(png);
    }

    /**
     * Decodes a base64 data URI of any image type ImageIO reads (PNG, JPEG, GIF, BMP).
     *
     * @throws IOException when it is not a base64 data URI or does not decode to an image
     */
    public static BufferedImage decodeDataUri(String uri) throws IOException {
        int comma = uri.indexOf(',');
        if (!uri.startsWith("data:image/") || comma < 0 || !uri.substring(0, comma).endsWith(";base64")) {
            throw new IOException("not a base64 image data URI: " + abbreviate(uri));
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(uri.substring(comma + 1).trim());
        } catch (IllegalArgumentException e) {
            throw new IOException("bad base64 in data URI: " + abbreviate(uri), e);
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        if (img == null || img.getWidth() <= 0 || img.getHeight() <= 0) {
            throw new IOException("data URI does not decode to an image: " + abbreviate(uri));
        }
        return img;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** Panels laid out left to right, top to bottom, {@code columns} per row, on white with a gap. */
    public static BufferedImage grid(int columns, List<BufferedImage> panels) {
        if (panels.isEmpty() || columns < 1) {
            throw new ParameterException("need at least one panel and one column");
        }
        int gap = 10;
        int cols = Math.min(columns, panels.size());
        int rows = (panels.size() + cols - 1) / cols;
        int cw = 0;
        int ch = 0;
        for (BufferedImage p : panels) {
            cw = Math.max(cw, p.getWidth());
            ch = Math.max(ch, p.getHeight());
        }
        BufferedImage out = new BufferedImage(cols * cw + (cols - 1) * gap, rows * ch + (rows - 1) * gap, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < panels.size(); i++) {
            g.drawImage(panels.get(i), (i % cols) * (cw + gap), (i / cols) * (ch + gap), null);
        }
        g.dispose();
        return out;
    }
}

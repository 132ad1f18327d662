package poreseg.report;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Image resizing for figures: nearest neighbour for masks, halving steps then bilinear for greyscale. */
final class Scale {
    private Scale() {
    }

    static BufferedImage toWidth(BufferedImage src, int width, boolean nearest) {
        int height = Math.max(1, (int) Math.round((double) src.getHeight() * width / src.getWidth()));
        if (src.getWidth() == width && src.getHeight() == height) {
            return src;
        }
        BufferedImage cur = src;
        if (!nearest) {
            // shrink by halves first so that bilinear sampling does not alias (area-like averaging)
            while (cur.getWidth() / 2 >= width && cur.getHeight() / 2 >= height) {
                cur = draw(cur, cur.getWidth() / 2, cur.getHeight() / 2, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            }
        }
        return draw(cur, width, height, nearest ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
                : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    }

    private static BufferedImage draw(BufferedImage src, int w, int h, Object interpolation) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}

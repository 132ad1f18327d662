package poreseg.io;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What ImageJ writes into a TIFF besides the pixels: the key=value lines of its image description
 * ({@code images}, {@code slices}, {@code spacing}, {@code unit}, ...) and the calibration read the
 * ImageJ way (XResolution/YResolution for x and y, {@code spacing} and {@code unit} for z and the unit).
 */
final class ImageJDescription {
    private ImageJDescription() {
    }

    /** The key=value lines of an ImageJ description, or null when the description is not ImageJ's. */
    static Map<String, String> parse(String description) {
        if (description == null || !description.startsWith("ImageJ")) {
            return null;
        }
        Map<String, String> m = new HashMap<>();
        for (String line : description.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return m;
    }

    static int intEntry(Path path, Map<String, String> desc, String key) {
        String v = desc.get(key);
        if (v == null) {
            return 1;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new DataException(path + ": corrupt TIFF: the ImageJ description has " + key + "=" + v);
        }
    }

    static Calibration calibration(Path path, TiffDirectory d, Map<String, String> desc) {
        double pw = d.xResolution() > 0 ? 1 / d.xResolution() : 1;
        double ph = d.yResolution() > 0 ? 1 / d.yResolution() : 1;
        double pd = 1;
        String unit = switch (d.resolutionUnit()) {
            case 2 -> "inch";
            case 3 -> "cm";
            default -> null;
        };
        if (desc != null) {
            String spacing = desc.get("spacing");
            if (spacing != null) {
                try {
                    double v = Double.parseDouble(spacing);
                    if (v != 0 && Double.isFinite(v)) {
                        pd = Math.abs(v); // ImageJ allows negative spacing for reversed stacks
                    }
                } catch (NumberFormatException e) {
                    throw new DataException(path + ": corrupt TIFF: the ImageJ description has spacing=" + spacing);
                }
            }
            if (desc.get("unit") != null) {
                unit = unescape(desc.get("unit"));
            }
        }
        try {
            return new Calibration(pw, ph, pd, unit);
        } catch (IllegalArgumentException e) {
            return Calibration.NONE;
        }
    }

    /** ImageJ writes non-ASCII units as Java escapes, e.g. {@code \u00B5m}. */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 5 < s.length() && s.charAt(i + 1) == 'u') {
                try {
                    b.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                    i += 5;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape: keep the text
                }
            }
            b.append(ch);
        }
        return b.toString();
    }
}

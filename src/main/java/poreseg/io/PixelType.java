package poreseg.io;

import poreseg.util.ParameterException;

/** Sample type of a stack, as stored on disk. Values are handled as {@code float} in memory. */
public enum PixelType {
    U8(8, "uint8", 255.0),
    U16(16, "uint16", 65535.0),
    F32(32, "float32", Double.NaN);

    private final int bits;
    private final String label;
    private final double maxValue;

    PixelType(int bits, String label, double maxValue) {
        this.bits = bits;
        this.label = label;
        this.maxValue = maxValue;
    }

    public int bits() {
        return bits;
    }

    public int bytes() {
        return bits / 8;
    }

    /** Short name used in JSON output: uint8, uint16, float32. */
    public String label() {
        return label;
    }

    /** Largest storable value for integer types, NaN for float. */
    public double maxValue() {
        return maxValue;
    }

    public boolean isInteger() {
        return this != F32;
    }

    /** Number of grey levels of an integer type (256 or 65536). */
    public int levels() {
        if (!isInteger()) {
            throw new IllegalStateException("float has no fixed number of grey levels");
        }
        return (int) maxValue + 1;
    }

    public String describe() {
        return switch (this) {
            case U8 -> "8-bit unsigned";
            case U16 -> "16-bit unsigned";
            case F32 -> "32-bit float";
        };
    }

    /** Parses 8, 16, 32, uint8, uint16, float32 (case-insensitive). */
    public static PixelType parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        for (PixelType p : values()) {
            if (t.equals(p.label) || t.equals(Integer.toString(p.bits))) {
                return p;
            }
        }
        throw new ParameterException("unknown pixel type '" + s + "' (use 8, 16 or 32)");
    }

    /** Converts a value to what this type stores: rounded and clamped for integer types. */
    public float clamp(float v) {
        if (this == F32) {
            return v;
        }
        if (!(v > 0)) {
            return 0; // also maps NaN to 0
        }
        float r = Math.round(v);
        return r > maxValue ? (float) maxValue : r;
    }
}

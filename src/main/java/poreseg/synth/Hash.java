package poreseg.synth;

/** Stateless 64-bit mixing (SplitMix64 finaliser): deterministic random numbers from integer keys. */
final class Hash {
    private Hash() {
    }

    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long mix(long a, long b) {
        return mix(a * 0x632BE59BD9B4E019L + mix(b));
    }

    static long mix(long a, long b, long c) {
        return mix(mix(a, b), c);
    }

    /** Uniform double in [0, 1) from a hash value. */
    static double unit(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }
}

package poreseg.synth;

/**
 * One rendered slice and its exact truth, computed in a single pass.
 *
 * @param z     slice index
 * @param image raw 16-bit grey values (row-major, width x height)
 * @param truth pore mask of the same plane: 255 = pore, 0 = solid or background
 */
public record SynthSlice(int z, float[] image, float[] truth) {
}

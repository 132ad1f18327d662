package poreseg.cli;

import java.io.IOException;
import picocli.CommandLine.Option;
import poreseg.io.NonFinite;
import poreseg.io.Volume;
import poreseg.util.ProgressListener;

/** Mixin: what a command does with NaN and infinite voxels of a float input (by default it refuses the stack). */
final class NanOption {
    @Option(names = "--nan-value", paramLabel = "V",
            description = "Replace NaN and +-Inf voxels of a float input by V (default: refuse such a stack, exit 1).")
    Float nanValue;

    /** Fails early on a non-finite replacement value. */
    void validate() {
        if (nanValue != null && !Float.isFinite(nanValue)) {
            throw new UsageException("--nan-value must be a finite number, got " + nanValue);
        }
    }

    /** The input with its non-finite voxels replaced, or the input itself after checking that it has none. */
    Volume apply(Volume v, ProgressListener progress) throws IOException {
        validate();
        if (nanValue != null) {
            return NonFinite.replaced(v, nanValue);
        }
        NonFinite.require(v, progress);
        return v;
    }
}

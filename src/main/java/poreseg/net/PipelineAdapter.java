package poreseg.net;

import poreseg.io.UsageException;

/** Bridges to the preprocessing package (poreseg.preprocess.Pipeline). */
final class PipelineAdapter {
    private PipelineAdapter() {
    }

    static Preprocessing parse(String steps) {
        throw new UsageException("preprocessing '" + steps + "' is not available in this build (use --preprocess none)");
    }
}

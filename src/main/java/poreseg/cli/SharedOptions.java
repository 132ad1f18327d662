package poreseg.cli;

import picocli.CommandLine.Option;

/**
 * Options that several commands share word for word, as picocli mixins: one definition of each
 * flag's name, default and help text. Where commands word a flag differently (e.g. {@code --force}
 * of roi, "Replace OUT if it exists.", and of measure, "Replace existing output files."), each
 * wording is its own mixin, used by the commands that say it that way.
 */
final class SharedOptions {
    private SharedOptions() {
    }

    /** {@code --force} of the commands that write output files: evaluate, measure, preprocess, segment, synth. */
    static final class ReplaceFiles {
        @Option(names = "--force", description = "Replace existing output files.")
        boolean force;
    }

    /** {@code --force} of the commands with one OUT file: roi, threshold. */
    static final class ReplaceOut {
        @Option(names = "--force", description = "Replace OUT if it exists.")
        boolean force;
    }

    /** {@code --force} of the commands that write a report folder: analyze, demo, study. */
    static final class NonEmptyFolder {
        @Option(names = "--force", description = "Write into a non-empty output folder.")
        boolean force;
    }

    /** {@code --json} of the benchmarks: io, measure, infer/train, quality, synth. */
    static final class BenchJson {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
    }

    /** {@code --model} of analyze and demo. */
    static final class AnalysisModel {
        @Option(names = "--model", defaultValue = "default", paramLabel = "MODEL_DIR",
                description = "Model folder from 'poreseg train', or 'default' for the bundled U-Net (default).")
        String model;
    }

    /** {@code --threshold} on the CNN's probability: analyze, segment. */
    static final class ProbabilityThreshold {
        @Option(names = "--threshold", defaultValue = "0.5", description = "A pixel is pore where its probability is above this (default: ${DEFAULT-VALUE}).")
        double threshold;
    }

    /** {@code --pore-value} and {@code --unlabelled} of the label masks: train, calibrate. */
    static final class MaskLabels {
        @Option(names = "--pore-value", paramLabel = "V", description = "Mask value that means pore (needed for masks with more than two labelled values).")
        Float poreValue;

        @Option(names = "--unlabelled", paramLabel = "V", description = "Mask value of unlabelled pixels (sparse labels, e.g. 128 with 255 = pore, "
                + "0 = solid); ignored by the loss, the scores and the calibration. A slice that is all V is not used.")
        Float unlabelled;

        /** Refuses the same value for both. */
        void check() {
            if (unlabelled != null && poreValue != null && unlabelled.floatValue() == poreValue.floatValue()) {
                throw new UsageException("--unlabelled and --pore-value must differ, both are " + poreValue);
            }
        }
    }

    /** {@code --batch} of tiled inference: segment, bench quality. */
    static final class TileBatch {
        @Option(names = "--batch", defaultValue = "8", description = "Tiles per forward pass (default: ${DEFAULT-VALUE}).")
        int batch;
    }

    /** {@code --precision} of inference: segment, analyze, bench quality, bench infer. */
    static final class InferencePrecision {
        @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16|int8|auto",
                description = "Arithmetic of the network: fp32 (reference), bf16 (faster where the CPU has AVX512-BF16 or AMX), "
                    + "int8 (8-bit integer convolutions, ranges calibrated once per model, scale selection in fp32; fastest "
                    + "where the CPU has AVX512-VNNI or AMX, 7-bit weights without VNNI) or auto (bf16 where the CPU has it). "
                    + "Quality change of each: docs/net.md#speed "
                    + "(default: ${DEFAULT-VALUE}).")
        String precision;

        poreseg.net.Precision get() {
            return poreseg.net.Precision.parse(precision);
        }
    }
}

package poreseg.cli;

import picocli.CommandLine.Command;

/** Benchmarks: each capability adds a subcommand here (e.g. 'bench preprocess'). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure throughput (megapixels/s, voxels/s, images/s) of the pipeline steps.",
        subcommands = {
                BenchIoCommand.class,
                BenchMeasureCommand.class,
                BenchNetCommand.Train.class,
                BenchNetCommand.Infer.class,
                BenchPreprocessCommand.class,
                BenchQualityCommand.class,
                BenchFewLabelCommand.class,
                BenchSynthCommand.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}

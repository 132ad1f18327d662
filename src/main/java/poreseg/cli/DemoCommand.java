package poreseg.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole job on built-in synthetic data: generate, preprocess, segment, measure, report.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("poreseg demo: the end-to-end demo is not built yet.");
        System.out.println("Available now: 'poreseg info FILE' (stack I/O). Coming: synth, preprocess, threshold, measure, train, segment, report.");
        return 0;
    }
}

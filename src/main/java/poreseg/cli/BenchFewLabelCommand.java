package poreseg.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import poreseg.io.OutputFiles;
import poreseg.net.NetEngine;
import poreseg.net.PatchSampler;
import poreseg.net.TrainOptions;
import poreseg.workflow.FewLabelBench;

@Command(name = "fewlabel", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Few-label benchmark on the real labelled sets of ../shared/datasets: train on 2 slices and test on the third, from scratch (loo) "
            + "or fine-tuning the bundled model as train does by default (loo-init), the same with scribble labels (scribble, scribble-init, view), "
            + "fine-tune the bundled model on 1 slice (init), calibrate it on 1 slice (calibrate), bundled model zero-shot, global Otsu.",
            "Without the data folder only the synthetic set 'shine' runs (exit 0 when it is not asked for). Each training takes minutes on 2 cores."})
final class BenchFewLabelCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "../shared/datasets", paramLabel = "DIR", description = "Folder of the labelled sets (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--sets", defaultValue = "catalyst,sandstone,membrane,epfl,shine", split = ",", description = {"Sets (default: ${DEFAULT-VALUE}); "
            + "shine is synthetic (synth --appearance wallGain=1.3, bright back walls) and needs no data folder."})
    List<String> sets;

    @Option(names = "--protocols", defaultValue = "otsu,zero-shot,calibrate,loo,loo-init,init,scribble", split = ",", description = "Protocols (default: ${DEFAULT-VALUE}; loo trains from scratch, loo-init fine-tunes the bundled model, as train does by default; "
            + "also scribble-init: loo-init on scribbles; view: scribbles fine-tuned as view's fine-tune button does; view-box: the same "
            + "scribbles plus a 64x64 box labelled whole on each training slice; loo-all: loo-init as one model on all labels, train --folds 0).")
    List<String> protocols;

    @Option(names = "--preprocess", defaultValue = TrainOptions.DEFAULT_PREPROCESSING, description = "Preprocessing of from-scratch training (default: ${DEFAULT-VALUE}, as train).")
    String preprocess;

    @Option(names = "--epochs", description = "Override the default epochs.")
    Integer epochs;

    @Option(names = "--lr", description = "Override the default learning rate (1e-3, from scratch and fine-tuning).")
    Double lr;

    @Option(names = "--steps", description = "Override the default steps per epoch.")
    Integer steps;

    @Option(names = "--geometry", description = "Override the default geometric augmentation.")
    String geometry;

    @Option(names = "--loss", description = "Override the default loss.")
    String loss;

    @Option(names = "--schedule", description = "Override the default learning-rate schedule (plateau, cosine).")
    String schedule;

    @Option(names = "--work", defaultValue = "target/bench-fewlabel", description = "Work folder for the trained models (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--out", paramLabel = "TABLE.md", description = "Also write the table (Markdown) and the rows (TABLE.json).")
    Path out;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16|auto",
            description = "Arithmetic of training and scoring, as 'train --precision' and 'segment --precision' (default: ${DEFAULT-VALUE}).")
    String precision;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(data)) {
            if (!sets.contains(FewLabelBench.SHINE)) {
                System.err.println("bench fewlabel: " + data + " not found, skipping");
                return 0;
            }
            System.err.println("bench fewlabel: " + data + " not found: only the synthetic set '" + FewLabelBench.SHINE + "'");
        }
        Files.createDirectories(work);
        TrainOptions.Overrides training = new TrainOptions.Overrides(epochs, null, lr, null, null, null,
                geometry != null ? PatchSampler.Geometry.parse(geometry) : null, loss, null, steps, null, schedule);
        FewLabelBench.Options o = new FewLabelBench.Options(protocols, preprocess, training, work, System.err::println,
                poreseg.net.Precision.parse(precision));
        List<FewLabelBench.Row> rows = new ArrayList<>();
        String cpu = poreseg.util.CpuFeatures.describe();
        String arithmetic = "precision " + o.precision().resolve().label();
        System.err.println("bench fewlabel on " + cpu + ", " + NetEngine.describe() + ", " + arithmetic);
        for (FewLabelBench.LabelledSet s : FewLabelBench.load(data, sets)) {
            System.err.println(s.name() + ": " + s.description());
            List<FewLabelBench.Row> r = FewLabelBench.run(s, o);
            for (FewLabelBench.Row x : r) {
                System.err.printf(Locale.ROOT, "  %-9s %-32s test %-24s F1 %.3f porosity %.3f (true %.3f) interval [%.3f, %.3f]%n", x.protocol(), x.method(),
                        x.test(), x.f1(), x.porosity(), x.truePorosity(), x.low(), x.high());
            }
            rows.addAll(r);
        }
        String table = FewLabelBench.table(rows);
        System.out.print(table);
        if (out != null) {
            OutputFiles.writeString(out, "CPU: " + cpu + "; " + NetEngine.describe() + "; " + arithmetic + "\n\n" + table);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cpu", cpu);
            m.put("engine", NetEngine.describe());
            m.put("precision", o.precision().resolve().label());
            m.put("rows", rows);
            OutputFiles.writeString(Path.of(out.toString().replaceAll("\\.md$", "") + ".json"), Json.write(m) + "\n");
        }
        return 0;
    }
}

package poreseg.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import poreseg.io.Calibration;
import poreseg.io.StackInfo;
import poreseg.io.Volume;
import poreseg.io.VolumeStats;
import poreseg.io.Volumes;
import poreseg.util.Format;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print dimensions, pixel type, voxel size and min/max/mean of a stack (TIFF, PNG, BMP, JPEG or a folder of slices).")
final class InfoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Image, stack or folder of slices.")
    Path file;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Volume v = Volumes.open(file)) {
            StackInfo i = v.info();
            VolumeStats s = VolumeStats.of(v, json ? poreseg.util.ProgressListener.NONE : new ConsoleProgress("reading"));
            Calibration c = i.calibration();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("file", file.toString());
                m.put("width", i.width());
                m.put("height", i.height());
                m.put("slices", i.depth());
                m.put("type", i.type().label());
                m.put("voxel_size", List.of(c.x(), c.y(), c.z()));
                m.put("unit", c.unit());
                m.put("min", s.min());
                m.put("max", s.max());
                m.put("mean", s.mean());
                m.put("nan", s.nonFinite().nan());
                m.put("pos_inf", s.nonFinite().positiveInfinity());
                m.put("neg_inf", s.nonFinite().negativeInfinity());
                System.out.println(Json.write(m));
            } else {
                System.out.printf(Locale.ROOT, "file:        %s%n", file);
                System.out.printf(Locale.ROOT, "dimensions:  %d x %d x %d (x, y, slices)%n", i.width(), i.height(), i.depth());
                System.out.printf(Locale.ROOT, "type:        %s (%s)%n", i.type().describe(), i.type().label());
                System.out.printf(Locale.ROOT, "voxel size:  %s%n", c);
                System.out.printf(Locale.ROOT, "min / max:   %s / %s%n", num(s.min()), num(s.max()));
                System.out.printf(Locale.ROOT, "mean:        %.6g%n", s.mean());
                if (s.nonFinite().total() > 0) {
                    System.out.printf(Locale.ROOT, "non-finite:  %s, first in slice %d (min / max / mean are of the finite voxels)%n",
                            s.nonFinite().describe(), s.nonFinite().firstSlice() + 1);
                }
            }
        }
        return 0;
    }

    private static String num(double v) {
        return Format.sig6OrNa(v);
    }
}

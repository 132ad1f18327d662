import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import poreseg.io.ArrayVolume;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.io.Volume;
import poreseg.io.Volumes;

/**
 * Makes examples/sandstone-xrm.tif from the nine X-ray microscope slices of ../shared/datasets/sandstone-xrm
 * (MIT): each slice binned 3 x 3 (mean, rounded), stacked in file order, written without calibration
 * (as many tools' TIFFs are) so that the README shows --voxel. Run by scripts/make-example.sh.
 */
public final class MakeExample {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int bin = 3;
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".tif")).sorted().toList();
        }
        List<float[]> slices = new ArrayList<>();
        int w = 0;
        int h = 0;
        for (Path f : files) {
            try (Volume v = Volumes.open(f)) {
                int sw = v.info().width();
                int sh = v.info().height();
                w = sw / bin;
                h = sh / bin;
                float[] src = v.slice(0);
                float[] dst = new float[w * h];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double sum = 0;
                        for (int dy = 0; dy < bin; dy++) {
                            for (int dx = 0; dx < bin; dx++) {
                                sum += src[(y * bin + dy) * sw + x * bin + dx];
                            }
                        }
                        dst[y * w + x] = (float) Math.rint(sum / (bin * bin));
                    }
                }
                slices.add(dst);
            }
        }
        StackInfo info = new StackInfo(w, h, slices.size(), PixelType.U8, Calibration.NONE);
        TiffWriter.write(out, new ArrayVolume(info, slices, "sandstone-xrm"));
        System.out.println("wrote " + out + ": " + info.shape() + " from " + files.size() + " slices of " + dir);
    }
}

// Writes a large 16-bit test stack for scripts/view-bench.sh with poreseg's streaming TiffWriter:
//   java -cp "target/poreseg.jar:target/lib/*" scripts/ViewBenchStack.java OUT.tif SIZE SLICES
// Grey values: smooth grains plus noise, so PNG compression sees realistic (not constant) data.
import java.nio.file.Path;
import poreseg.io.Calibration;
import poreseg.io.PixelType;
import poreseg.io.StackInfo;
import poreseg.io.TiffWriter;
import poreseg.util.ProgressListener;

public class ViewBenchStack {
    public static void main(String[] a) throws Exception {
        Path out = Path.of(a[0]);
        int size = Integer.parseInt(a[1]);
        int slices = Integer.parseInt(a[2]);
        StackInfo info = new StackInfo(size, size, slices, PixelType.U16, new Calibration(9, 9, 15, "nm"));
        TiffWriter.write(out, info, z -> {
            float[] s = new float[size * size];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int h = (x * 73856093) ^ (y * 19349663) ^ (z * 83492791);
                    double grain = Math.sin(x * 0.021 + z * 0.01) * Math.cos(y * 0.017) * 9000;
                    s[y * size + x] = (float) (30000 + grain + ((h >>> 16) & 1023) * 4);
                }
            }
            return s;
        }, ProgressListener.NONE);
    }
}

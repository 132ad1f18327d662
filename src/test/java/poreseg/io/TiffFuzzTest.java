package poreseg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages small valid TIFFs of every layout the reader handles (truncation at many offsets, every
 * byte of the header and directories flipped, strip offsets and counts flipped, pixel data flipped)
 * and reads each with the reader every command uses. Each read must end within a time bound, and
 * either fail with a one-line {@link DataException} naming the file, or return exactly what the
 * undamaged file holds. Damage that TIFF cannot reveal (it has no checksums) is allowed to change
 * the result only where it lies: pixel bytes of uncompressed, LZW and PackBits data change those
 * pixels, calibration fields change the calibration, and removing the Predictor or SampleFormat tag
 * leaves another valid file. Every such case is counted and checked to stay inside those bounds.
 * {@link poreseg.cli.CliFuzzTest} runs the commands themselves on a sample of the same files.
 * Tagged slow: {@code mvn -B verify -DexcludedGroups=slow} leaves it out.
 */
@Tag("slow")
class TiffFuzzTest {
    @TempDir
    Path dir;

    /** Where a damaged byte lies in the valid file. */
    enum Role {
        HEADER, STRUCTURE, CALIBRATION, OPTIONAL_TAG, DATA_UNCHECKED, DATA_CHECKED, DATA_UNCOMPRESSED, PADDING
    }

    record Base(String name, byte[] bytes) {
    }

    /** Valid small files: our writer's layout and TiffBuilder's, each kind of compression, bit depth and byte order. */
    static List<Base> bases(Path tmp) throws Exception {
        List<Base> l = new ArrayList<>();
        Calibration cal = new Calibration(9, 9, 15, "nm");
        for (PixelType t : PixelType.values()) {
            Path f = tmp.resolve("w" + t + ".tif");
            TiffWriter.write(f, TiffRoundTripTest.random(t, 7, 5, t == PixelType.U16 ? 1 : 3, cal, 7));
            l.add(new Base("writer " + t, Files.readAllBytes(f)));
        }
        List<float[]> u8 = TiffReaderTest.pages(9, 6, 3, 8, 1, 1);
        List<float[]> u16 = TiffReaderTest.pages(9, 6, 2, 16, 1, 2);
        List<float[]> f32 = TiffReaderTest.pages(5, 4, 2, 32, 3, 3);
        List<float[]> bit = TiffReaderTest.pages(11, 4, 2, 1, 1, 4);
        l.add(new Base("plain 8-bit pages", new TiffBuilder().build(9, 6, u8)));
        l.add(new Base("plain 8-bit strips of 2 rows", new TiffBuilder().rowsPerStrip(2).build(9, 6, u8)));
        l.add(new Base("LZW 8-bit", new TiffBuilder().compression(5).build(9, 6, u8)));
        l.add(new Base("Deflate 16-bit predictor", new TiffBuilder().compression(8).bits(16, 1).predictor(2).build(9, 6, u16)));
        l.add(new Base("PackBits 8-bit", new TiffBuilder().compression(32773).build(9, 6, u8)));
        l.add(new Base("big-endian LZW float", new TiffBuilder().order(ByteOrder.BIG_ENDIAN).compression(5).bits(32, 3)
                .build(5, 4, f32)));
        l.add(new Base("BigTIFF 16-bit", new TiffBuilder().big(true).bits(16, 1).build(9, 6, u16)));
        l.add(new Base("BigTIFF Deflate 8-bit", new TiffBuilder().big(true).compression(8).build(9, 6, u8)));
        l.add(new Base("1-bit", new TiffBuilder().bits(1, 1).build(11, 4, bit)));
        l.add(new Base("ImageJ hyperstack", new TiffBuilder().imageJ(
                "ImageJ=1.54f\nimages=3\nslices=3\nhyperstack=true\nunit=micron\nspacing=0.015\nloop=false\n", true)
                .build(9, 6, u8)));
        return l;
    }

    @Test
    void damagedFilesFailWithOneLineOrReadTheSame() throws Exception {
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int tried = 0;
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Base b : bases(dir)) {
                Path good = Files.write(dir.resolve("good.tif"), b.bytes());
                ArrayVolume expected = Volumes.load(good);
                Role[] roles = roles(b.bytes());
                Path bad = dir.resolve("damaged.tif");
                for (Damage d : damages(b.bytes(), roles)) {
                    tried++;
                    Files.write(bad, d.bytes());
                    String outcome = judge(pool, bad, expected, d, failures, b.name());
                    outcomes.merge(outcome, 1, Integer::sum);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("TIFF fuzz: " + tried + " damaged files: " + outcomes);
        assertTrue(tried > 5000, "tried only " + tried);
        assertTrue(failures.isEmpty(), failures.size() + " failures, e.g.\n" + String.join("\n", failures.subList(0,
                Math.min(20, failures.size()))));
    }

    record Damage(String what, byte[] bytes, int at, Role role) {
    }

    /** Truncations at every offset of the structure and many of the data; every structural byte and many data bytes flipped. */
    static List<Damage> damages(byte[] good, Role[] roles) {
        List<Damage> l = new ArrayList<>();
        for (int cut = 0; cut < good.length; cut++) {
            boolean structural = roles[cut] != Role.DATA_UNCOMPRESSED && roles[cut] != Role.DATA_CHECKED
                    && roles[cut] != Role.DATA_UNCHECKED;
            if (structural || cut % 3 == 0 || cut == good.length - 1) {
                l.add(new Damage("cut at " + cut, Arrays.copyOf(good, cut), cut, Role.STRUCTURE));
            }
        }
        for (int i = 0; i < good.length; i++) {
            boolean data = roles[i] == Role.DATA_UNCOMPRESSED || roles[i] == Role.DATA_CHECKED || roles[i] == Role.DATA_UNCHECKED;
            if (!data || i % 2 == 0) {
                byte[] b = good.clone();
                b[i] ^= (byte) 0xFF;
                l.add(new Damage("byte " + i + " flipped (" + roles[i] + ")", b, i, roles[i]));
            }
        }
        return l;
    }

    private static String judge(ExecutorService pool, Path bad, ArrayVolume expected, Damage d, List<String> failures,
            String base) throws Exception {
        Future<ArrayVolume> f = pool.submit(() -> Volumes.load(bad));
        ArrayVolume got;
        try {
            got = f.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            failures.add(base + ", " + d.what() + ": hangs");
            return "hang";
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            String m = String.valueOf(c.getMessage());
            if (c instanceof DataException && m.startsWith(bad.toString() + ":") && !m.contains("\n") && m.length() < 400) {
                return "exit 1 (one line)";
            }
            failures.add(base + ", " + d.what() + ": " + c);
            return "bad error";
        }
        boolean sameInfo = got.info().equals(expected.info());
        boolean samePixels = sameInfo || got.info().sameShape(expected.info()) && got.info().type() == expected.info().type();
        int changed = 0;
        if (samePixels) {
            for (int z = 0; z < expected.info().depth(); z++) {
                float[] a = expected.sliceView(z);
                float[] g = got.sliceView(z);
                for (int i = 0; i < a.length; i++) {
                    if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(g[i])) {
                        changed++;
                    }
                }
            }
        }
        if (sameInfo && changed == 0) {
            return "exit 0, identical";
        }
        boolean sameShape = samePixels && got.info().calibration().equals(expected.info().calibration());
        boolean allowed = switch (d.role()) {
            // no checksum: the flipped byte's pixel(s) change, nothing else
            case DATA_UNCOMPRESSED -> sameShape && changed <= 8;
            case DATA_UNCHECKED -> sameShape;
            // resolution, unit, description: the calibration (and, for the description, ImageJ's image count) may change
            case CALIBRATION -> true;
            // a removed Predictor or SampleFormat tag leaves another valid file of the same shape
            case OPTIONAL_TAG -> got.info().sameShape(expected.info());
            default -> false;
        };
        if (!allowed) {
            failures.add(base + ", " + d.what() + " [" + Volumes.open(bad) + "]: read with exit 0 but different (" + got.info() + ", " + changed
                    + " voxels changed; expected " + expected.info() + ")");
            return "WRONG";
        }
        return "exit 0, changed where TIFF has no check (" + d.role() + ")";
    }

    /** Classifies every byte of a valid file by what it holds, with an independent minimal parser. */
    static Role[] roles(byte[] f) {
        Role[] r = new Role[f.length];
        Arrays.fill(r, Role.PADDING);
        ByteBuffer b = ByteBuffer.wrap(f).order(f[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        boolean big = b.getShort(2) == 43;
        int header = big ? 16 : 8;
        Arrays.fill(r, 0, header, Role.HEADER);
        long ifd = big ? b.getLong(8) : b.getInt(4) & 0xffffffffL;
        Set<Integer> calibration = Set.of(270, 282, 283, 296);
        Set<Integer> optional = Set.of(317, 339);
        boolean first = true;
        int images = 1;
        while (ifd != 0) {
            int at = (int) ifd;
            int n = big ? (int) b.getLong(at) : b.getShort(at) & 0xffff;
            int entry = big ? 20 : 12;
            int start = at + (big ? 8 : 2);
            Arrays.fill(r, at, start, Role.STRUCTURE);
            Map<Integer, long[]> tags = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                int p = start + i * entry;
                int tag = b.getShort(p) & 0xffff;
                int type = b.getShort(p + 2) & 0xffff;
                long count = big ? b.getLong(p + 4) : b.getInt(p + 4) & 0xffffffffL;
                int valueAt = p + (big ? 12 : 8);
                int size = TiffDirectory.typeSize(type) * (int) count;
                Role role = calibration.contains(tag) ? Role.CALIBRATION : Role.STRUCTURE;
                Arrays.fill(r, p, p + entry, role);
                if (optional.contains(tag)) {
                    Arrays.fill(r, p, p + 2, Role.OPTIONAL_TAG); // only the tag number: its loss leaves a valid file
                }
                int dataAt = valueAt;
                if (size > (big ? 8 : 4)) {
                    dataAt = (int) (big ? b.getLong(valueAt) : b.getInt(valueAt) & 0xffffffffL);
                    Arrays.fill(r, dataAt, dataAt + size, role);
                }
                long[] v = new long[(int) count];
                for (int k = 0; k < count && type != 2 && type != 5; k++) {
                    int q = dataAt + k * TiffDirectory.typeSize(type);
                    v[k] = switch (type) {
                        case 3 -> b.getShort(q) & 0xffff;
                        case 4 -> b.getInt(q) & 0xffffffffL;
                        case 16 -> b.getLong(q);
                        default -> 0;
                    };
                }
                if (tag == 270) {
                    var desc = ImageJDescription.parse(new String(f, dataAt, (int) count - 1, java.nio.charset.StandardCharsets.US_ASCII));
                    images = desc == null ? 1 : Integer.parseInt(desc.getOrDefault("images", "1"));
                }
                tags.put(tag, v);
            }
            int nextAt = start + n * entry;
            Arrays.fill(r, nextAt, nextAt + (big ? 8 : 4), Role.STRUCTURE);
            int compression = (int) tags.getOrDefault(259, new long[] {1})[0];
            long[] off = tags.get(273);
            long[] cnt = tags.get(279);
            boolean contiguousImageJ = first && images > 1 && compression == 1;
            Role data = compression == 1 ? Role.DATA_UNCOMPRESSED : compression == 8 ? Role.DATA_CHECKED : Role.DATA_UNCHECKED;
            if (tags.containsKey(317) && compression == 8) {
                data = Role.DATA_CHECKED; // the checksum covers the differenced bytes
            }
            for (int s = 0; s < off.length; s++) {
                long len = contiguousImageJ ? cnt[s] * images : cnt[s];
                Arrays.fill(r, (int) off[s], (int) (off[s] + len), data);
            }
            ifd = big ? b.getLong(nextAt) : b.getInt(nextAt) & 0xffffffffL;
            if (contiguousImageJ) {
                break; // ImageJ reads all slices from the first IFD and ignores the others: damage there changes nothing
            }
            first = false;
        }
        return r;
    }

    @Test
    void rolesOfOurWritersLayout() throws Exception {
        Path f = dir.resolve("r.tif");
        TiffWriter.write(f, TiffRoundTripTest.random(PixelType.U8, 4, 2, 2, Calibration.NONE, 1));
        Role[] r = roles(Files.readAllBytes(f));
        assertEquals(Role.HEADER, r[0]);
        assertEquals(Role.STRUCTURE, r[8]);
        long data = Arrays.stream(r).filter(x -> x == Role.DATA_UNCOMPRESSED).count();
        assertEquals(16, data);
    }
}

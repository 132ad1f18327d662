package poreseg.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import poreseg.cli.Main;

/**
 * The commands themselves on a sample of {@link TiffFuzzTest}'s damaged files: every reading command
 * exits 0 with the output of the undamaged file, or 1 with one line on stderr; never a stack trace,
 * an internal error or a hang, and never a different output with exit 0 where the reader itself
 * read the same pixels.
 */
class TiffFuzzCommandsTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cl = Main.commandLine();
            cl.setOut(new PrintWriter(System.out, true));
            cl.setErr(new PrintWriter(System.err, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private List<String[]> commands(Path in, Path good) {
        String f = in.toString();
        String o = dir.resolve("out.tif").toString();
        return List.of(
                new String[] {"info", "--json", f},
                new String[] {"measure", f, "--pore-value", "255", "--json", "-", "--no-distances"},
                new String[] {"threshold", f, o, "--method", "otsu", "--json", "--force"},
                new String[] {"preprocess", f, o, "--steps", "gaussian=1,stretch", "--json", "--force"},
                new String[] {"roi", f, o, "--sigma", "1", "--json", "--force"},
                new String[] {"evaluate", f, good.toString(), "--pore-value", "255", "--json"});
    }

    @Test
    void everyReadingCommandOnDamagedFiles() throws Exception {
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int files = 0;
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-cli");
            t.setDaemon(true);
            return t;
        });
        try {
            Path in = dir.resolve("in.tif");
            Path good = dir.resolve("good.tif");
            int k = 0;
            for (TiffFuzzTest.Base b : TiffFuzzTest.bases(dir)) {
                Files.write(good, b.bytes());
                Files.write(in, b.bytes());
                ArrayVolume expected = Volumes.load(good);
                List<String> reference = new ArrayList<>();
                for (String[] c : commands(in, good)) {
                    reference.add(result(call(pool, c), c));
                }
                for (TiffFuzzTest.Damage d : TiffFuzzTest.damages(b.bytes(), TiffFuzzTest.roles(b.bytes()))) {
                    if (k++ % 251 != 0) {
                        continue;
                    }
                    files++;
                    Files.write(in, d.bytes());
                    boolean same;
                    try {
                        ArrayVolume got = Volumes.load(in);
                        same = got.info().equals(expected.info()) && sameValues(got, expected);
                    } catch (DataException e) {
                        same = false;
                    }
                    List<String[]> cs = commands(in, good);
                    for (int i = 0; i < cs.size(); i++) {
                        Run r = call(pool, cs.get(i));
                        String what = b.name() + ", " + d.what() + ": " + cs.get(i)[0];
                        String err = r.err().strip();
                        if (r.code() == 1 && err.lines().count() == 1 && err.startsWith("poreseg: error: ")
                                && !err.contains("internal error")) {
                            outcomes.merge("exit 1 (one line)", 1, Integer::sum);
                        } else if (r.code() == 0 && !r.err().contains("error")) {
                            if (same && !result(r, cs.get(i)).equals(reference.get(i))) {
                                failures.add(what + ": exit 0 with another output than the undamaged file:\n" + r.out());
                            }
                            outcomes.merge(same ? "exit 0, same output" : "exit 0, reader saw other values", 1, Integer::sum);
                        } else {
                            failures.add(what + ": exit " + r.code() + ", stderr: " + r.err());
                        }
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("TIFF fuzz through the commands: " + files + " damaged files x 6 commands: " + outcomes);
        assertTrue(files > 50, "only " + files + " files");
        assertTrue(failures.isEmpty(), failures.size() + " failures, e.g.\n" + String.join("\n", failures.subList(0,
                Math.min(10, failures.size()))));
    }

    /** What a run produced: the output stack for commands that write one (their JSON holds timings), else stdout. */
    private String result(Run r, String[] args) throws Exception {
        Path out = dir.resolve("out.tif");
        if (List.of(args).contains(out.toString())) {
            return Files.exists(out) ? java.util.HexFormat.of().formatHex(Files.readAllBytes(out)) : "";
        }
        return r.out().replace(dir.toString(), "");
    }

    private static boolean sameValues(ArrayVolume a, ArrayVolume b) {
        for (int z = 0; z < a.info().depth(); z++) {
            if (!java.util.Arrays.equals(a.sliceView(z), b.sliceView(z))) {
                return false;
            }
        }
        return true;
    }

    private static Run call(ExecutorService pool, String[] args) throws Exception {
        Future<Run> f = pool.submit(() -> run(args));
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            return new Run(-1, "", "hang: " + String.join(" ", args));
        }
    }
}

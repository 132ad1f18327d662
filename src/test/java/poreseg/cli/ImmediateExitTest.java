package poreseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.NativeLibrary;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ImmediateExit}: the exit code, flushed output, no shutdown hooks; on Linux through libc's _exit. */
class ImmediateExitTest {

    /** The child process: buffered output, a shutdown hook, then the immediate exit. */
    public static final class Probe {
        public static void main(String[] args) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.print(" hook ran")));
            System.out.print("before exit");   // no newline: only the flush in ImmediateExit writes it
            ImmediateExit.now(42);
            System.out.print(" after exit");
        }
    }

    @Test
    void exitsWithTheCodeFlushedWithoutShutdownHooks() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(42, p.exitValue(), out);
        assertEquals("before exit", out.strip());
    }

    @Test
    void libcExitIsReachableOnLinux() {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            assertNotNull(NativeLibrary.getInstance("c").getFunction("_exit"));
        }
    }
}

package poreseg.cli;

import com.sun.jna.NativeLibrary;
import java.util.Locale;

/**
 * Ends the process at once from a signal handler, without running C/C++ exit handlers.
 *
 * <p>{@link Runtime#halt} skips Java's shutdown hooks but still ends in the C library's {@code exit},
 * which runs the static destructors of every loaded native library. Libtorch's (oneDNN's primitive
 * cache among them) would then be torn down while the main thread may still be inside a convolution
 * on the same objects: a JVM fatal error instead of exit 130 (seen once during {@code train}).
 * POSIX {@code _exit} ends the process without them; everything poreseg must do on an interrupt
 * (delete partial outputs, print the message) is done before. Where {@code _exit} cannot be called
 * (Windows, or no JNA), {@link Runtime#halt} as before.
 */
final class ImmediateExit {
    private ImmediateExit() { }

    /** Flushes stdout and stderr, then ends the process with {@code code}. Never returns. */
    static void now(int code) {
        System.out.flush();
        System.err.flush();
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            try {
                NativeLibrary.getInstance("c").getFunction("_exit").invokeVoid(new Object[] {code});
            } catch (Throwable e) {
                // no JNA or no libc found: fall through to halt
            }
        }
        Runtime.getRuntime().halt(code);
    }
}

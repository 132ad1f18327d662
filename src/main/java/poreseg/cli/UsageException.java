package poreseg.cli;

/** The command line was used wrongly (bad option value or combination): exit code 2. Thrown by commands only. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}

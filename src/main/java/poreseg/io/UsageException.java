package poreseg.io;

/** The command was used wrongly (bad option combination, refused output path): exit code 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}

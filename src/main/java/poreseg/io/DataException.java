package poreseg.io;

/** Bad input data (missing, corrupt, wrong type or size). The message names the file and the problem. */
public class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}

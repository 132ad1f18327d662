package poreseg.io;

import poreseg.util.Messages;

/**
 * Bad input data (missing, corrupt, wrong type or size). The message names the file and the problem;
 * a remedy may reference parameters as {@code {name}} (see {@link Messages} and {@link #template()}).
 */
public class DataException extends RuntimeException {
    private final String template;

    public DataException(String message) {
        super(Messages.plain(message));
        this.template = message;
    }

    public DataException(String message, Throwable cause) {
        super(Messages.plain(message), cause);
        this.template = message;
    }

    /** The message with its {@code {name}} parameter references. */
    public String template() {
        return template;
    }
}

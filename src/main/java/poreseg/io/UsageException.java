package poreseg.io;

import poreseg.util.ParameterException;

/**
 * A usage error of a command line other than poreseg's own (the Spark module's): exit code 2 there.
 * Library code throws {@link ParameterException} (which this extends) and never this; poreseg's own
 * commands use {@code poreseg.cli.UsageException}.
 */
public class UsageException extends ParameterException {
    public UsageException(String message) {
        super(message);
    }
}
